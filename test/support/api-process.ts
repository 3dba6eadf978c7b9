import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { freePort } from "./ports";
import { createTestDatabase, type TestDatabase } from "./test-database";

const ENTRY = path.resolve(__dirname, "../../dist/main.js");

export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote, for diagnosing failures. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the compiled API (`npm run build`; npm test and npm run bench do it first) as a separate process, as in
 * production. `env` overrides the defaults below; `nodeArgs` go to node (e.g. --cpu-prof).
 */
export async function startApiProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<ApiProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does)`);
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, [...nodeArgs, ENTRY], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      // Processes of several test files run at once: each takes a free metrics port instead of the fixed default.
      METRICS_PORT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API process exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"query":"{__typename}"}',
      });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`API process did not start within 20 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        // Ended already: by itself (exitCode) or by a signal (signalCode, exitCode stays null). Stopping it again
        // resolves at once instead of waiting for an exit that has happened.
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** The processes and database of twoApiProcesses, filled in by its beforeAll. */
export interface TwoApiProcesses {
  database?: TestDatabase;
  readonly processes: ApiProcess[];
}

/**
 * Two API processes over one fresh database, started before the enclosing describe's tests and stopped after them
 * (the database dropped). `env` is read when they start (it may name services found by then); DATABASE_URL is set.
 */
export function twoApiProcesses(env: () => Record<string, string>): TwoApiProcesses {
  const state: TwoApiProcesses = { processes: [] };
  beforeAll(async () => {
    state.database = await createTestDatabase();
    const shared = { DATABASE_URL: state.database.url, ...env() };
    state.processes.push(...(await Promise.all([startApiProcess(shared), startApiProcess(shared)])));
  });
  afterAll(async () => {
    await Promise.all(state.processes.map((p) => p.stop()));
    await state.database?.drop();
  });
  return state;
}
