import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import express, { type Router } from "express";
import { Kind, parse, visit } from "graphql";
import { type Config } from "../platform/config.js";
import { signToken } from "../platform/jwt.js";

/** The reference seat-map page (web/ at the top; the same path from src/ in tests and from dist/ compiled). */
const WEB_DIR = path.resolve(__dirname, "../../web");
/** The page's GraphQL operations, one `.graphql` file each, named after its operation. */
const OPERATIONS_DIR = path.join(WEB_DIR, "operations");
/** A user id the development sign-in accepts (the page checks the same pattern before asking). */
const DEV_USER = /^[\w.@-]{1,64}$/;

/**
 * The seat-map page (static files, no build step) and the graphql-ws browser client it imports; with DEV_TOKENS (on
 * by default only with the generated development secret) also the page's sign-in: a user token without a CLI.
 */
export function staticRoutes(config: Config, jwtSecret: string): Router {
  const router = express.Router();
  const operations = operationsModule();
  router.get("/operations.js", (req, res) => {
    res.set({ "content-type": "text/javascript; charset=utf-8", etag: operations.etag, "cache-control": "no-cache" });
    if (req.headers["if-none-match"] === operations.etag) res.status(304).end();
    else res.send(operations.source);
  });
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

/**
 * `/operations.js`: an ES module exporting, by file (= operation) name, the text of every `web/operations/*.graphql`
 * that holds an operation, followed by the fragments it spreads (files that hold a fragment, named after it), as
 * codegen joins them; read once at start. The page sends exactly the documents that a client's codegen type-checks,
 * with no copy in its JavaScript; the ETag lets a browser revalidate it with a 304.
 */
function operationsModule(): { source: string; etag: string } {
  const files = readdirSync(OPERATIONS_DIR)
    .filter((file) => file.endsWith(".graphql"))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(OPERATIONS_DIR, file), "utf8");
      const [definition] = parse(text).definitions;
      return { name: path.basename(file, ".graphql"), text, isFragment: definition?.kind === Kind.FRAGMENT_DEFINITION };
    });
  const fragments = new Map(files.filter((file) => file.isFragment).map((file) => [file.name, file.text]));
  const withFragments = (text: string, seen = new Set<string>()): string => {
    for (const spread of spreadsOf(text)) {
      const fragment = fragments.get(spread);
      if (fragment === undefined) throw new Error(`web/operations: no file defines fragment ${spread}`);
      if (!seen.has(spread)) text += `\n${withFragments(fragment, seen.add(spread))}`;
    }
    return text;
  };
  const entries = files
    .filter((file) => !file.isFragment)
    .map((file) => `  ${JSON.stringify(file.name)}: ${JSON.stringify(withFragments(file.text))},`);
  const source = `// Built by the server from web/operations/*.graphql.\nexport const operations = {\n${entries.join("\n")}\n};\n`;
  return { source, etag: `"${createHash("sha256").update(source).digest("base64url").slice(0, 27)}"` };
}

/** Names of the fragments a document spreads. */
function spreadsOf(text: string): Set<string> {
  const names = new Set<string>();
  visit(parse(text), { FragmentSpread: (node) => void names.add(node.name.value) });
  return names;
}
