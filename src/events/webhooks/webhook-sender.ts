import http from "node:http";
import https from "node:https";
import { ipLiteralOf, RefusedTargetError, type TargetGuard } from "./target-guard.js";

/** Response bytes read at most (the rest is dropped with the connection). */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Of a failed answer's body, this much is kept in the delivery's last_error and attempt log. */
const KEPT_ERROR_BYTES = 1024;
const USER_AGENT = "booking-api-webhooks/1 (+https://www.standardwebhooks.com)";

/** Why an attempt failed, as the failure metric's `reason` label says it. */
export type FailureReason = "http_status" | "redirect" | "timeout" | "network" | "refused";

export interface AttemptResult {
  readonly startedAt: Date;
  readonly durationMs: number;
  /** The answer's status; null when none came. */
  readonly statusCode: number | null;
  /** Null on success (2xx). */
  readonly failure: { readonly reason: FailureReason; readonly error: string } | null;
}

/**
 * One POST to a webhook endpoint over node:http(s): the guard's `lookup` checks the address connected to (an IP
 * literal is checked here, as node:net does not look those up), the whole exchange has one deadline, redirects are
 * failures (never followed: a redirect could point anywhere), and at most MAX_RESPONSE_BYTES of the answer are read.
 * Connections are kept alive and reused per host and port (an on-sale sends hundreds of events a second to one
 * endpoint): every socket is opened through the guard's `lookup`, so a reused one is to an address already checked.
 */
export async function postWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  options: { readonly guard: TargetGuard; readonly timeoutMs: number; readonly requireHttps: boolean },
): Promise<AttemptResult> {
  const startedAt = new Date();
  const started = performance.now();
  const done = (statusCode: number | null, failure: AttemptResult["failure"]): AttemptResult => ({
    startedAt,
    durationMs: Math.round(performance.now() - started),
    statusCode,
    failure,
  });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return done(null, { reason: "network", error: "the webhook's url is not a URL" });
  }
  // Registered before WEBHOOK_REQUIRE_HTTPS was switched on: not sent in clear now.
  if (url.protocol !== "https:" && options.requireHttps)
    return done(null, { reason: "refused", error: "refused: the url is not https (WEBHOOK_REQUIRE_HTTPS)" });
  const literal = ipLiteralOf(url.hostname);
  const literalRefusal = literal === undefined ? undefined : options.guard.refusal(literal);
  if (literal !== undefined && literalRefusal !== undefined)
    return done(null, { reason: "refused", error: new RefusedTargetError(literal, literal, literalRefusal).message });

  const payload = Buffer.from(body);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      // A failed exchange may have left the socket mid-response: not reused. A complete answer frees it for reuse.
      if (result.failure) request.destroy();
      resolve(result);
    };
    const send = url.protocol === "https:" ? https.request : http.request;
    const request = send(url, {
      method: "POST",
      agent: agentFor(url.protocol, options.guard),
      headers: { ...headers, "user-agent": USER_AGENT, "content-length": String(payload.length) },
    });
    const deadline = setTimeout(() => {
      finish(done(null, { reason: "timeout", error: `no complete answer within ${options.timeoutMs} ms` }));
    }, options.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      const refused = error instanceof RefusedTargetError;
      const text = refused ? error.message : `${error.code ?? "error"}: ${error.message}`;
      finish(done(null, { reason: refused ? "refused" : "network", error: text }));
    });
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let bytes = 0;
      const answered = () => {
        if (status >= 200 && status < 300) return finish(done(status, null));
        const text = Buffer.concat(chunks).subarray(0, KEPT_ERROR_BYTES).toString("utf8");
        if (status >= 300 && status < 400) {
          const location = String(response.headers.location ?? "").slice(0, 300);
          return finish(
            done(status, { reason: "redirect", error: `HTTP ${status} redirect to ${location} (not followed)` }),
          );
        }
        finish(done(status, { reason: "http_status", error: `HTTP ${status}${text ? `: ${text}` : ""}` }));
      };
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        else answered();
      });
      response.on("end", answered);
      response.on("error", () => answered());
    });
    request.end(payload);
  });
}

/** Keep-alive agents per guard (one per process), connecting only through its lookup. */
const agents = new WeakMap<TargetGuard, { http: http.Agent; https: https.Agent }>();
function agentFor(protocol: string, guard: TargetGuard): http.Agent {
  let pair = agents.get(guard);
  if (!pair) {
    // No socket cap of its own: the dispatcher bounds the requests in flight (WEBHOOK_CONCURRENCY).
    const options = { keepAlive: true, lookup: guard.lookup };
    pair = { http: new http.Agent(options), https: new https.Agent(options) };
    agents.set(guard, pair);
  }
  return protocol === "https:" ? pair.https : pair.http;
}
