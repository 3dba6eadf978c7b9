import { randomBytes } from "node:crypto";

/**
 * Support for the memory abuse tests: anonymous requests whose texts all differ (each one would be a new cache entry)
 * and a way to send many of them with a given concurrency.
 */

/** A query for one show's name behind a comment of about `commentBytes`, different every call. */
export function commentedShowQuery(showId: string, commentBytes: number): string {
  const salt = randomBytes(8).toString("hex");
  return `# ${salt} ${"x".repeat(commentBytes)}\n{ show(id: "${showId}") { name } }`;
}

/**
 * The whole seat map of a show, under an alias that differs every call (same answer, new text); each seat's number
 * asked for under two more names, as much as the query cost limit allows, so that a 50,000-seat answer is about 5 MB.
 */
export function aliasedSeatMapQuery(showId: string): string {
  const alias = `m${randomBytes(6).toString("hex")}`;
  const numbers = ["a", "b"].map((name) => `${name}: seatNumber`).join(" ");
  return `{ ${alias}: show(id: "${showId}") { seatMapVersion seats { ${numbers} seatNumber status version } } }`;
}

/** Posts an anonymous GraphQL request; the status (the body is read and dropped). */
export async function postQuery(url: string, query: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Runs `count` requests made by `request`, at most `concurrency` at a time; the statuses (or failures), counted. */
export async function flood(
  count: number,
  concurrency: number,
  request: () => Promise<number>,
): Promise<Map<number | string, number>> {
  const statuses = new Map<number | string, number>();
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      const status = await request().catch(
        (error: Error) => `failed: ${String((error.cause as Error)?.message ?? error)}`,
      );
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, worker));
  return statuses;
}
