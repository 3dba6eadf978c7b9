import { createHash } from "node:crypto";
import express, { type Response, type Router } from "express";
import { type GraphQLSchema, introspectionFromSchema } from "graphql";
import { type Config } from "../platform/config.js";
import { signToken } from "../platform/jwt.js";
import { type Credentials } from "./credentials.js";
import { consoleSecurityHeaders } from "./edge-headers.js";

export const CONSOLE_PATH = "/console";

/**
 * The first operation a box-office admin needs: a show in a rectangular hall (a venue and prices come later), starting
 * four weeks after `now` (a fixed date would one day be in the past, and createShow refuses shows that have started).
 */
export const consoleDefaultQuery = (
  now: Date,
) => `# The admin console. Run the mutation below (▶ or Ctrl+Enter) to create a show in a hall of
# 10 rows × 20 seats; then open the seat-map page at / to book a seat in it.
# With a venue of your own, give venueId and a price for each of its categories instead of rows and seatsPerRow.
mutation CreateShow {
  createShow(input: { name: "Evening performance", startsAt: "${new Date(now.getTime() + 28 * 86_400_000).toISOString().slice(0, 10)}T19:30:00Z", rows: 10, seatsPerRow: 20 }) {
    show {
      id
      name
      startsAt
      totalSeats
      availableSeats
    }
    userErrors {
      code
      message
      field
    }
  }
}
`;

export interface AdminConsoleOptions {
  readonly config: Config;
  readonly schema: GraphQLSchema;
  readonly jwtSecret: string;
  /** The GraphQL endpoint's path. */
  readonly graphqlPath: string;
  /** Verifies an Authorization header value (the one verifier of every transport). */
  readonly credentials: (authorization: string) => Credentials;
}

/** A file of the console: served under CONSOLE_PATH/assets/<name>, cached for ever (the names carry a digest). */
interface Asset {
  readonly name: string;
  readonly type: string;
  readonly body: string | Buffer;
}

/**
 * The admin console: GraphiQL (from @graphql-yoga/render-graphiql, served from this process: nothing is loaded from
 * another host, so it works offline) at /console, with the schema handed to it in the page, so it needs no
 * introspection (off in production). Outside production it is served to anyone who can reach it (prefilled with a
 * development admin token only with the generated development secret); in production, where it is off unless
 * ADMIN_CONSOLE=true, a sign-in form takes an admin token first and the console is the answer to that POST.
 * Mounted at CONSOLE_PATH.
 */
export function adminConsole(options: AdminConsoleOptions): Router {
  const { config, jwtSecret } = options;
  const router = express.Router();
  router.use(consoleSecurityHeaders());
  // Loaded at the first visit: 9 MB of scripts a process that never serves the console need not hold.
  let assets: Map<string, Asset> | undefined;
  let page: ((token: string | undefined) => string) | undefined;
  const load = () => {
    if (!assets || !page) {
      const built = buildAssets();
      assets = new Map(built.list.map((asset) => [asset.name, asset]));
      page = consolePage(built.urls, options);
    }
    return { assets, page };
  };

  router.get("/assets/:name", (req, res) => {
    const asset = load().assets.get(req.params.name);
    if (!asset) {
      res.sendStatus(404);
      return;
    }
    res.setHeader("cache-control", "public, max-age=31536000, immutable");
    res.type(asset.type).send(asset.body);
  });

  const serve = (res: Response, status: number, html: string) => {
    // The page may hold a token: never stored by a browser or a proxy.
    res.setHeader("cache-control", "no-store");
    res.status(status).type("html").send(html);
  };
  router.get("/", (_req, res) => {
    if (config.adminConsole.signIn) {
      serve(res, 200, signInPage());
      return;
    }
    const token = config.adminConsole.prefillAdminToken
      ? signToken(jwtSecret, { sub: "admin", role: "admin" }, undefined, config.auth)
      : undefined;
    serve(res, 200, load().page(token));
  });
  if (config.adminConsole.signIn) {
    // A browser sends no Authorization header when it navigates: the token comes in a form and is checked here.
    router.post("/", express.urlencoded({ extended: false, limit: "8kb" }), (req, res) => {
      const sent = (req.body as { token?: unknown } | undefined)?.token;
      const token = typeof sent === "string" ? sent.trim() : "";
      const credentials = token !== "" ? options.credentials(`Bearer ${token}`) : undefined;
      if (!credentials || "refusal" in credentials || !credentials.viewer) {
        serve(res, 401, signInPage("That token was not accepted (expired, or not signed for this API)."));
        return;
      }
      if (credentials.viewer.role !== "admin") {
        serve(res, 403, signInPage("That token is a user's: the console needs an admin token."));
        return;
      }
      serve(res, 200, load().page(token));
    });
  }
  return router;
}

/** What @graphql-yoga/render-graphiql/graphiql exports (written here: tests resolve modules without export maps). */
interface GraphiQLAssets {
  readonly js: string;
  readonly css: string;
  /** A data: URL. */
  readonly favicon: string;
  readonly editorWorkerService: string;
  readonly jsonWorker: string;
  readonly graphqlWorker: string;
}

interface AssetUrls {
  /** In the order they run. */
  readonly scripts: readonly string[];
  readonly style: string;
  readonly favicon: string;
}

function buildAssets(): { list: Asset[]; urls: AssetUrls } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use only (see above)
  const graphiql = require("@graphql-yoga/render-graphiql/graphiql") as GraphiQLAssets;
  const digest = (text: string | Buffer) => createHash("sha256").update(text).digest("hex").slice(0, 12);
  const named = (stem: string, extension: string, type: string, body: string | Buffer): Asset => ({
    name: `${stem}-${digest(body)}.${extension}`,
    type,
    body,
  });
  const favicon = Buffer.from(graphiql.favicon.slice(graphiql.favicon.indexOf(",") + 1), "base64");
  const workers = {
    editorWorkerService: named("editor.worker", "js", "js", graphiql.editorWorkerService),
    json: named("json.worker", "js", "js", graphiql.jsonWorker),
    graphql: named("graphql.worker", "js", "js", graphiql.graphqlWorker),
  };
  const workerUrls = Object.fromEntries(
    Object.entries(workers).map(([label, asset]) => [label, `${CONSOLE_PATH}/assets/${asset.name}`]),
  );
  // Same-origin files instead of the inline script and blob: workers of Yoga's page, so the console runs under a CSP
  // with script-src 'self' (no inline script, no blob: worker).
  const boot = `self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => (${JSON.stringify(workerUrls)})[label] };
YogaGraphiQL.renderYogaGraphiQL(
  document.getElementById("root"),
  JSON.parse(document.getElementById("console-options").textContent),
);
`;
  const assets = {
    library: named("graphiql", "js", "js", graphiql.js),
    boot: named("console", "js", "js", boot),
    style: named("graphiql", "css", "css", graphiql.css),
    favicon: named("favicon", "ico", "image/x-icon", favicon),
  };
  const url = (asset: Asset) => `${CONSOLE_PATH}/assets/${asset.name}`;
  return {
    list: [...Object.values(workers), ...Object.values(assets)],
    urls: {
      scripts: [url(assets.library), url(assets.boot)],
      style: url(assets.style),
      favicon: url(assets.favicon),
    },
  };
}

function consolePage(urls: AssetUrls, options: AdminConsoleOptions): (token: string | undefined) => string {
  // The schema travels in the page: GraphiQL does not introspect, so introspection can stay off for everyone else.
  // Serialized once (a few hundred KB); only the headers differ from one page to the next.
  const schema = scriptSafeJson(
    introspectionFromSchema(options.schema, { descriptions: true, inputValueDeprecation: true }),
  );
  return (token) => {
    const settings = {
      title: "Seat booking admin console",
      endpoint: options.graphqlPath,
      subscriptionsProtocol: "WS",
      defaultQuery: consoleDefaultQuery(new Date()),
      headers: JSON.stringify(token ? { Authorization: `Bearer ${token}` } : {}, null, 2),
      // A token in the header editor stays in this page, not in the browser's storage.
      shouldPersistHeaders: false,
    };
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Seat booking admin console</title>
<link rel="icon" href="${urls.favicon}">
<link rel="stylesheet" href="${urls.style}">
${urls.scripts.map((script) => `<script src="${script}" defer></script>`).join("\n")}
</head>
<body class="no-focus-outline">
<div id="root"></div>
<script type="application/json" id="console-options">${scriptSafeJson(settings).slice(0, -1)},"schema":${schema}}</script>
</body>
</html>
`;
  };
}

/** JSON that cannot end the <script> element it sits in. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

function signInPage(problem?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in: seat booking admin console</title>
</head>
<body>
<main>
<h1>Admin console</h1>
<p>Paste an admin token (a JWT with role admin, e.g. from <code>npm run token -- --role admin</code>).</p>
${problem ? `<p role="alert"><strong>${problem}</strong></p>\n` : ""}<form method="post" action="${CONSOLE_PATH}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<button type="submit">Open the console</button>
</form>
</main>
</body>
</html>
`;
}
