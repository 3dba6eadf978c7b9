import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { waitUntil } from "./time";

export const EXAMPLES_DIR = path.resolve(__dirname, "../../examples/booking-events");

/** One of the booking-event consumer examples, run as its own Node process; its stdout lines are JSON events. */
export interface ExampleProcess {
  /** The events printed so far, in order. */
  readonly events: { id: string; type: string; sequence: string; bookingId: string | null }[];
  /** Resolves once at least `count` events were printed; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when stderr shows `line` (the example says it is ready). */
  ready(line: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function startExample(file: string, env: Record<string, string>): ExampleProcess {
  const child: ChildProcess = spawn(process.execPath, [path.join(EXAMPLES_DIR, file)], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const events: ExampleProcess["events"] = [];
  let stderr = "";
  let exited: string | undefined;
  createInterface({ input: child.stdout! }).on("line", (line) => events.push(JSON.parse(line)));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  child.on("exit", (code, signal) => (exited = `exited (${code ?? signal}): ${stderr.slice(-2000)}`));
  const until = (done: () => boolean, what: string, timeoutMs: number) =>
    waitUntil(
      () => {
        if (exited) throw new Error(`${file} ${exited}`);
        return done();
      },
      { timeoutMs, intervalMs: 25, message: `${file}: ${what}` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; stderr: ${stderr}`);
    });
  return {
    events,
    waitForEvents: (count, timeoutMs = 15_000) => until(() => events.length >= count, `${count} events`, timeoutMs),
    ready: (line, timeoutMs = 10_000) => until(() => stderr.includes(line), `"${line}"`, timeoutMs),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

/** The code block of docs/booking-events.md that shows `file` (its first line is the file's first line), or undefined. */
export function publishedBlockOf(file: string): string | undefined {
  const doc = readFileSync(path.resolve(__dirname, "../../docs/booking-events.md"), "utf8");
  const source = readFileSync(path.join(EXAMPLES_DIR, file), "utf8");
  const firstLine = source.split("\n")[0]!;
  for (const match of doc.matchAll(/```js\n([\s\S]*?)```/g)) {
    if (match[1]!.startsWith(firstLine)) return match[1];
  }
  return undefined;
}
