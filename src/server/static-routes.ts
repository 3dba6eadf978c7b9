import path from "node:path";
import express, { type Router } from "express";
import { type Config } from "../platform/config.js";
import { signToken } from "../platform/jwt.js";

/** The reference seat-map page (web/ at the top; the same path from src/ in tests and from dist/ compiled). */
const WEB_DIR = path.resolve(__dirname, "../../web");
/** A user id the development sign-in accepts (the page checks the same pattern before asking). */
const DEV_USER = /^[\w.@-]{1,64}$/;

/**
 * The seat-map page (static files, no build step) and the graphql-ws browser client it imports; with DEV_TOKENS (on
 * by default only with the generated development secret) also the page's sign-in: a user token without a CLI.
 */
export function staticRoutes(config: Config, jwtSecret: string): Router {
  const router = express.Router();
  router.use(express.static(WEB_DIR));
  router.use("/vendor/graphql-ws", express.static(path.dirname(require.resolve("graphql-ws"))));
  if (config.devTokens) {
    // Anyone who can reach it gets anyone's token: config allows it only with the generated development secret.
    router.post("/dev/token", express.json({ limit: "1kb" }), (req, res) => {
      const sub = (req.body as { sub?: unknown } | undefined)?.sub;
      if (typeof sub !== "string" || !DEV_USER.test(sub)) {
        res.status(400).json({ error: 'Send {"sub": "<user id>"} (1–64 letters, digits, . _ @ -).' });
        return;
      }
      res.json({ token: signToken(jwtSecret, { sub, role: "user" }, 2 * 3600, config.auth) });
    });
  }
  return router;
}
