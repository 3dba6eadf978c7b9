import cors from "cors";
import { type RequestHandler } from "express";
import helmet from "helmet";
import { type Config } from "../platform/config.js";

/**
 * Cross-origin calls to the GraphQL endpoint: the configured origins (any with "*"), and the response headers a
 * script of another origin may read.
 */
export function graphqlCors(config: Config): RequestHandler {
  return cors({
    origin: config.corsOrigins.includes("*") ? true : config.corsOrigins.length > 0 && [...config.corsOrigins],
    // Scripts may read the validators (to send If-None-Match themselves), how the cache answered, the request id a
    // user can quote, and how long to wait after a 429 or 503.
    exposedHeaders: ["ETag", "x-seat-map-cache", "x-request-id", "Retry-After"],
    // A GET carries apollo-require-preflight, so browsers ask first: let them remember the answer for 10 minutes.
    maxAge: 600,
  });
}

/** What both pages allow: their own origin only, never framed, no plugins, forms posted only to themselves. */
const COMMON_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // 'self' covers the page's WebSocket to the same host (ws: and wss: of its own origin).
  connectSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  // Served over plain HTTP on a development machine: no upgrade of its requests to HTTPS.
  upgradeInsecureRequests: null,
};

/**
 * Security headers of the seat-map page and its files (helmet): a strict Content-Security-Policy (same-origin
 * scripts, styles and connections, no inline script or style, no eval), nosniff, no framing, no referrer sent
 * elsewhere.
 */
export function pageSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...COMMON_DIRECTIVES, styleSrc: ["'self'"] } },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
}

/**
 * The admin console's: the same, except that its editor (Monaco) writes <style> elements at run time, and its
 * fonts and icons are data: URLs. Its scripts and workers are same-origin files (admin-console.ts), no inline script.
 */
export function consoleSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...COMMON_DIRECTIVES,
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", "data:"],
        workerSrc: ["'self'"],
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "no-referrer" },
  });
}
