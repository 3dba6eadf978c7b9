import { type GraphQLClient, OPERATIONS } from "../lib/graphql";
import { now, Recorder, round } from "../lib/stats";

/** C clients reading the full seat map (`seats { seatNumber status version }`) of one show, back to back. */
export async function seatMapReads(client: GraphQLClient, showId: string, options: { users: number; seconds: number }) {
  const reads = new Recorder();
  let bytes = 0;
  const deadline = now() + options.seconds * 1000;
  const started = now();
  const reader = async () => {
    while (now() < deadline) {
      const start = now();
      try {
        const { status, text } = await client.requestText(OPERATIONS.seatMap, { id: showId });
        const ok = status === 200 && text.startsWith('{"data":{"show":{"seats":[{');
        reads.record(now() - start, ok ? "OK" : `HTTP_${status}`);
        bytes += text.length;
      } catch {
        reads.record(now() - start, "NETWORK");
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, () => reader()));
  const seconds = (now() - started) / 1000;
  return {
    users: options.users,
    seconds: round(seconds, 2),
    requestsPerSecond: round(reads.count / seconds),
    averageResponseKiB: round(bytes / Math.max(1, reads.count) / 1024),
    latency: reads.summary(),
  };
}
