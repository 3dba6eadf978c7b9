import { type ErrorRequestHandler } from "express";
import { type Logger } from "../platform/logger.js";

/** What body-parser (express.json) and other middleware attach to the errors they raise for a bad request. */
interface HttpError {
  readonly status?: number;
  readonly statusCode?: number;
  readonly type?: string;
}

const CLIENT_MESSAGES: Readonly<Record<string, string>> = {
  "entity.parse.failed": "The request body is not valid JSON.",
  "entity.too.large": "The request body is too large.",
  "encoding.unsupported": "The request body's encoding is not supported.",
  "charset.unsupported": "The request body's charset is not supported.",
  "request.aborted": "The request was aborted.",
  "request.size.invalid": "The request body is shorter than its Content-Length.",
};

/**
 * The last middleware: every error that reached Express is answered as JSON, without stack traces or HTML, in every
 * mode (Express's own handler writes HTML with the stack, and prints it to stderr). Client mistakes are answered
 * with their status; anything else is logged (bounded, one line) and answered 500.
 */
export function jsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const { status, statusCode, type } = (error ?? {}) as HttpError;
    const code = status ?? statusCode ?? 500;
    const clientError = Number.isInteger(code) && code >= 400 && code < 500;
    if (!clientError) logger.error("unhandled error in an HTTP route", { error, method: req.method, path: req.path });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = clientError ? (CLIENT_MESSAGES[type ?? ""] ?? "Bad request.") : "Internal server error.";
    res.status(clientError ? code : 500).json({ error: message });
  };
}
