import { type TestApp } from "./test-app";
import { waitUntil } from "./time";

/**
 * Runs the sequencer until the app's outbox is empty: every event committed so far is in the log. One round may
 * sequence nothing though events are committed: it takes only events older than every write transaction still running
 * on the server, and test files run side by side on one server (a transaction another file holds open for a moment
 * holds everyone's events back that long). Returns how many events the rounds sequenced.
 */
export async function sequenceCommitted(t: TestApp, timeoutMs = 20_000): Promise<number> {
  let sequenced = 0;
  await waitUntil(
    async () => {
      sequenced += await t.app.container.events.sequencer.runOnce();
      const [left] = await t.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM booking_outbox`;
      return left!.n === 0;
    },
    { timeoutMs, intervalMs: 10, message: "every committed event to be sequenced" },
  );
  return sequenced;
}
