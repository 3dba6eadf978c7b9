import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

// No Docker engine runs where these tests run: the deployment files are checked by reading them.
const root = path.resolve(__dirname, "../..");
const compose = parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<
    string,
    {
      build?: unknown;
      image?: string;
      healthcheck?: { test: unknown };
      environment?: Record<string, string>;
      depends_on?: unknown;
      configs?: { source: string; target: string }[];
    }
  >;
  configs: Record<string, { content: string }>;
};
// Compose interpolates $VAR in values; $$ is a literal dollar.
const nginx = compose.configs["nginx-conf"]!.content.replaceAll("$$", "$");

describe("docker-compose.yml", () => {
  it("runs PostgreSQL, Redis, two API replicas and nginx, each with a health check", () => {
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(["api-1", "api-2", "nginx", "postgres", "redis"]);
    for (const [name, service] of Object.entries(services)) {
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    }
  });

  it("gives both replicas the same database, Redis and JWT secret, in production mode behind one proxy", () => {
    const replicas = Object.values(compose.services).filter((service) => service.build === ".");
    expect(replicas).toHaveLength(2);
    const [first, second] = replicas.map((service) => service.environment!);
    for (const key of ["DATABASE_URL", "REDIS_URL", "JWT_SECRET"]) {
      expect(first![key]).toBeTruthy();
      expect(second![key]).toBe(first![key]);
    }
    expect(first!.NODE_ENV).toBe("production");
    expect(first!.TRUST_PROXY).toBe("1");
    expect(first!.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(first!.REDIS_URL).toBe("redis://redis:6379");
  });

  it("has nginx proxy /graphql to both replicas with the WebSocket upgrade headers", () => {
    expect(compose.services.nginx!.configs).toEqual([
      { source: "nginx-conf", target: "/etc/nginx/conf.d/default.conf" },
    ]);
    const upstream = /upstream api \{([^}]*)\}/.exec(nginx)![1]!;
    expect(upstream).toMatch(/server api-1:4000/);
    expect(upstream).toMatch(/server api-2:4000/);
    const graphql = /location \/graphql \{([^}]*)\}/.exec(nginx)![1]!;
    expect(graphql).toMatch(/proxy_pass http:\/\/api;/);
    expect(graphql).toMatch(/proxy_http_version 1\.1;/);
    expect(graphql).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(graphql).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(graphql).toMatch(/proxy_read_timeout 1h;/);
    expect(nginx).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default upgrade;/);
    // Balanced braces: nginx would refuse an unbalanced file.
    expect(nginx.split("{").length).toBe(nginx.split("}").length);
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");

  it("builds in one stage and runs the compiled API as a non-root user in a slim second stage", () => {
    const stages = dockerfile.match(/^FROM /gm) ?? [];
    expect(stages).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm run build/); // prisma generate + tsc at build time
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/COPY --from=build .*prisma\/migrations/);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });
});

describe("operations endpoints", () => {
  it("are not proxied publicly by nginx; the replicas serve metrics on their own port", () => {
    expect(nginx).toMatch(/location = \/readyz \{\s*return 404;\s*\}/);
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
    const replica = compose.services["api-1"]!;
    expect(replica.environment!.METRICS_PORT).toBe("9464");
    // Long enough for the drain (SHUTDOWN_GRACE_MS, 8 s by default) and cleanup before Docker kills the process.
    expect((replica as { stop_grace_period?: string }).stop_grace_period).toBe("15s");
    // The compose health check asks the replica itself, inside the network.
    expect(JSON.stringify(replica.healthcheck!.test)).toMatch(/127\.0\.0\.1:4000\/readyz/);
  });
});
