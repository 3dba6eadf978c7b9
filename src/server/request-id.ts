import { randomUUID } from "node:crypto";
import { type RequestHandler } from "express";

/**
 * Gives every HTTP request an id (the caller's `x-request-id` when it is a sensible one), returned in the
 * `x-request-id` header and kept in `res.locals.requestId` for the logs and error extensions.
 */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.header("x-request-id");
  const id = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader("x-request-id", id);
  res.locals.requestId = id;
  next();
};
