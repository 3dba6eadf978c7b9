import { type TestApp } from "./test-app";

/**
 * Runs the sequencer until the app's outbox is empty: every event committed so far is in the log. One round may
 * sequence nothing though events are committed: it takes only events older than every write transaction still running
 * on the server, and test files run side by side on one server (a transaction another file holds open for a moment
 * holds everyone's events back that long). Returns how many events the rounds sequenced.
 */
export async function sequenceCommitted(t: TestApp, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let sequenced = 0;
  for (;;) {
    sequenced += await t.app.container.events.sequencer.runOnce();
    const [left] = await t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM booking_outbox`;
    if (left!.n === 0) return sequenced;
    if (Date.now() > deadline) throw new Error(`${left!.n} committed events still unsequenced after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
