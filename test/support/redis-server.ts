import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { probeRedisServerBinary, redisServerBinary } from "./external-services";
import { freePort } from "./ports";

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (after stop). */
  start(): Promise<void>;
}

/**
 * A private redis-server on a free port, so a test can stop and restart it. Needs the `redis-server` binary
 * (Debian package redis-server; .ci/run installs it when missing): use it inside describeNeeding("redis-server", …).
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = probeRedisServerBinary();
  if ("missing" in binary) throw new Error(binary.missing);
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      redisServerBinary(),
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: "ignore",
      },
    );
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGKILL");
    });
  };
  await start();
  return { url, start, stop };
}
