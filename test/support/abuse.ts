import { readFileSync } from "node:fs";
import path from "node:path";
import { type ApiProcess, startApiProcess } from "./api-process";
import { signToken } from "./from-src";
import { createTestDatabase, type TestDatabase } from "./test-database";

/**
 * Support for the abuse suite (test/system/abuse): the API as a separate process in production mode, with its own
 * database, and the measures the suite asserts on (the process's resident memory, how long an innocent request waits
 * while an attack runs, compared with the same request on the idle server).
 */
export interface HostileTarget {
  readonly api: ApiProcess;
  readonly database: TestDatabase;
  readonly secret: string;
  /** A token for `sub` (role user unless given), signed with the process's secret. */
  token(sub: string, role?: "user" | "admin"): string;
  close(): Promise<void>;
}

/** The NODE_OPTIONS the production image runs the API with (its heap limit). */
function imageNodeOptions(): string {
  const dockerfile = readFileSync(path.join(__dirname, "..", "..", "Dockerfile"), "utf8");
  const options = /\bNODE_OPTIONS=(\S+)/.exec(dockerfile);
  if (!options) throw new Error("the Dockerfile sets no NODE_OPTIONS");
  return options[1]!;
}

/**
 * Starts the compiled API as the production image runs it (NODE_ENV=production, the image's NODE_OPTIONS), with
 * DATABASE_URL and JWT_SECRET set; `env` overrides.
 */
export async function startProductionApi(env: Record<string, string> = {}): Promise<HostileTarget> {
  const database = await createTestDatabase();
  const secret = "abuse-suite-secret-0123456789";
  const api = await startApiProcess({
    NODE_ENV: "production",
    NODE_OPTIONS: imageNodeOptions(),
    DATABASE_URL: database.url,
    JWT_SECRET: secret,
    ...env,
  });
  return {
    api,
    database,
    secret,
    token: (sub, role = "user") => signToken(secret, { sub, role }),
    async close() {
      await api.stop("SIGKILL");
      await database.drop();
    },
  };
}

/** Resident memory of a process in bytes (Linux /proc; the suite runs on Linux). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb[1]) * 1024;
}

/** Milliseconds one innocent request takes (a `{ __typename }` query over HTTP). */
export async function innocentRequestMs(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"query":"{__typename}"}',
  });
  await response.text();
  return performance.now() - started;
}

/**
 * The slowest innocent request while `attack` runs, probing every `everyMs`; pair it with the same probe on the idle
 * server (`idleBaselineMs`) so a bound holds on any machine.
 */
export async function worstStallDuring(url: string, attack: Promise<unknown>, everyMs = 50): Promise<number> {
  let done = false;
  let worst = 0;
  const probing = (async () => {
    while (!done) {
      worst = Math.max(worst, await innocentRequestMs(url));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  try {
    await attack;
  } finally {
    done = true;
    await probing;
  }
  return worst;
}

/** The slowest of `samples` innocent requests on a quiet server. */
export async function idleBaselineMs(url: string, samples = 20): Promise<number> {
  let worst = 0;
  for (let i = 0; i < samples; i++) worst = Math.max(worst, await innocentRequestMs(url));
  return worst;
}
