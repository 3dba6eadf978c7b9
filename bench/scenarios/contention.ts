import pg from "pg";
import { token } from "../lib/environment";
import { type GraphQLClient, type HoldPayload, OPERATIONS, outcomeOf } from "../lib/graphql";
import { now, random, Recorder } from "../lib/stats";
import { databaseId } from "../lib/ids";

/** A small hall, so that simultaneous pickers really collide: 10 rows of 20 seats. */
export const CONTENTION_HALL = { rows: 10, seatsPerRow: 20 } as const;
const CAPACITY = CONTENTION_HALL.rows * CONTENTION_HALL.seatsPerRow;

/**
 * The three kinds of round. `pairs-fit`: 100 quantity-2 holds (exactly fill the hall: every one must win, adjacent).
 * `pairs-oversubscribed`: 300 quantity-2 holds (exactly 100 must win, all adjacent). `mixed`: quantities 1–4 whose
 * sum fills 50–100 % of the hall (every one must win; a scattered hold is a failure when a block of its size was
 * still free once the round ended).
 */
export type RoundKind = "pairs-fit" | "pairs-oversubscribed" | "mixed";

export interface ContentionTally {
  rounds: number;
  requests: number;
  /** Holds that had to succeed (capacity allowed them). */
  shouldWin: number;
  won: number;
  /** SEATS_UNAVAILABLE answers while the hall had room for the hold. */
  falseRefusals: number;
  /** Won holds of 2+ seats, and those not in one row side by side. */
  multiSeatWins: number;
  nonAdjacent: number;
  /** Scattered holds counted as failures (pairs rounds: every one; mixed: a block of that size was left free). */
  nonAdjacentFailures: number;
  /** Holds whose payload's `adjacent` disagreed with their seats (when the API has the field). */
  adjacentFlagMismatches: number;
  /** Outcomes other than OK and SEATS_UNAVAILABLE. */
  otherOutcomes: Record<string, number>;
  /** The first few failures (scattered holds counted as failures), for whoever has to find out why. */
  examples: string[];
}

const MAX_EXAMPLES = 5;

export interface ContentionResult {
  readonly byKind: Record<RoundKind, ContentionTally>;
  readonly total: ContentionTally;
  readonly falseRefusalPercent: number;
  readonly nonAdjacentFailurePercent: number;
  readonly hold: ReturnType<Recorder["summary"]>;
  readonly showIds: string[];
}

interface Options {
  readonly rounds: Record<RoundKind, number>;
  readonly seed: number;
  /** Whether to ask for (and check) `HoldSeatsPayload.adjacent`. */
  readonly adjacentField: boolean;
  readonly databaseUrl: string;
  readonly createShow: (name: string) => Promise<string>;
}

/**
 * Best available under contention, through the API: each round opens one keep-alive connection per request first,
 * then sends every hold of the round at once, each from a distinct user, on a fresh 10×20 hall.
 */
export async function bestAvailableContention(client: GraphQLClient, options: Options): Promise<ContentionResult> {
  const rand = random(options.seed);
  const hold = new Recorder();
  const byKind = {} as Record<RoundKind, ContentionTally>;
  const showIds: string[] = [];
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    for (const kind of ["pairs-fit", "pairs-oversubscribed", "mixed"] as const) {
      const tally = (byKind[kind] = emptyTally());
      for (let round = 0; round < options.rounds[kind]; round++) {
        const quantities = quantitiesFor(kind, rand);
        const showId = await options.createShow(`contention ${kind} ${round}`);
        showIds.push(showId);
        await warmConnections(client, quantities.length);
        const outcomes = await Promise.all(
          quantities.map(async (quantity, i) => {
            const start = now();
            const result = await client
              .request<HoldPayload & { holdSeats: { adjacent?: boolean | null } }>(
                options.adjacentField ? OPERATIONS.holdAdjacent : OPERATIONS.hold,
                { input: { showId, seats: { quantity } } },
                token(`contention-${options.seed}-${kind}-${round}-${i}`),
              )
              .catch(() => ({ errors: [{ message: "network", extensions: { code: "NETWORK" } }] }));
            const code = outcomeOf(result as never);
            hold.record(now() - start, code);
            const payload = "data" in result ? result.data?.holdSeats : undefined;
            return { quantity, code, seats: payload?.booking?.seatNumbers ?? [], adjacent: payload?.adjacent };
          }),
        );
        const freeAfter = await freeSeats(db, showId);
        tallyRound(tally, kind, outcomes, freeAfter, options.adjacentField);
      }
    }
  } finally {
    await db.end();
  }
  const total = Object.values(byKind).reduce(addTallies, emptyTally());
  return {
    byKind,
    total,
    falseRefusalPercent: percent(total.falseRefusals, total.shouldWin),
    nonAdjacentFailurePercent: percent(total.nonAdjacentFailures, total.multiSeatWins),
    hold: hold.summary(),
    showIds,
  };
}

function quantitiesFor(kind: RoundKind, rand: () => number): number[] {
  if (kind === "pairs-fit") return Array<number>(CAPACITY / 2).fill(2);
  if (kind === "pairs-oversubscribed") return Array<number>((3 * CAPACITY) / 2).fill(2);
  const fill = Math.floor(CAPACITY * (0.5 + rand() * 0.5));
  const quantities: number[] = [];
  for (let sum = 0; ;) {
    const q = 1 + Math.floor(rand() * 4);
    if (sum + q > fill) break;
    quantities.push(q);
    sum += q;
  }
  return quantities;
}

function tallyRound(
  tally: ContentionTally,
  kind: RoundKind,
  outcomes: { quantity: number; code: string; seats: string[]; adjacent: boolean | null | undefined }[],
  freeAfter: Map<string, Set<number>>,
  adjacentField: boolean,
): void {
  const won = outcomes.filter((o) => o.code === "OK");
  const refused = outcomes.filter((o) => o.code === "SEATS_UNAVAILABLE").length;
  // Pairs over capacity: the hall holds CAPACITY / 2 pairs, so that many must win; every other round fits.
  const shouldWin = kind === "pairs-oversubscribed" ? CAPACITY / 2 : outcomes.length;
  tally.rounds++;
  tally.requests += outcomes.length;
  tally.shouldWin += shouldWin;
  tally.won += won.length;
  tally.falseRefusals += Math.max(0, Math.min(refused, shouldWin - won.length));
  for (const o of outcomes) {
    if (o.code !== "OK" && o.code !== "SEATS_UNAVAILABLE")
      tally.otherOutcomes[o.code] = (tally.otherOutcomes[o.code] ?? 0) + 1;
  }
  for (const o of won) {
    const together = isAdjacent(o.seats);
    if (adjacentField && o.adjacent !== together) tally.adjacentFlagMismatches++;
    if (o.seats.length < 2) continue;
    tally.multiSeatWins++;
    if (together) continue;
    tally.nonAdjacent++;
    if (kind !== "mixed" || hasFreeBlock(freeAfter, o.seats.length)) {
      tally.nonAdjacentFailures++;
      if (tally.examples.length < MAX_EXAMPLES)
        tally.examples.push(
          `round ${tally.rounds}: ${o.seats.join(" ")}; free after the round: ${[...freeAfter]
            .map(([row, numbers]) => `${row}${[...numbers].sort((a, b) => a - b).join(",")}`)
            .join(" ")}`,
        );
    }
  }
}

/** Seats in one row with consecutive numbers ("C4", "C5", "C6"). */
export function isAdjacent(seatNumbers: string[]): boolean {
  const seats = seatNumbers.map(parseSeat);
  if (seats.some((s) => s === null)) return false;
  const parsed = seats as { row: string; number: number }[];
  if (new Set(parsed.map((s) => s.row)).size !== 1) return false;
  const numbers = parsed.map((s) => s.number).sort((a, b) => a - b);
  return numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);
}

function parseSeat(seatNumber: string): { row: string; number: number } | null {
  const match = /^([A-Z]+)(\d+)$/.exec(seatNumber);
  return match ? { row: match[1]!, number: Number(match[2]) } : null;
}

function hasFreeBlock(free: Map<string, Set<number>>, size: number): boolean {
  for (const numbers of free.values()) {
    for (const n of numbers) {
      let run = 1;
      while (run < size && numbers.has(n + run)) run++;
      if (run === size) return true;
    }
  }
  return false;
}

async function freeSeats(db: pg.Client, showId: string): Promise<Map<string, Set<number>>> {
  const { rows } = await db.query<{ row_label: string; seat_in_row: number }>(
    "SELECT row_label, seat_in_row FROM seats WHERE show_id = $1 AND status = 'available'",
    [databaseId(showId)],
  );
  const free = new Map<string, Set<number>>();
  for (const r of rows) {
    if (!free.has(r.row_label)) free.set(r.row_label, new Set());
    free.get(r.row_label)!.add(r.seat_in_row);
  }
  return free;
}

/** Opens `count` keep-alive connections, so the round's requests leave together instead of queueing for connects. */
async function warmConnections(client: GraphQLClient, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, () => client.request("{ __typename }", {})));
}

function emptyTally(): ContentionTally {
  return {
    rounds: 0,
    requests: 0,
    shouldWin: 0,
    won: 0,
    falseRefusals: 0,
    multiSeatWins: 0,
    nonAdjacent: 0,
    nonAdjacentFailures: 0,
    adjacentFlagMismatches: 0,
    otherOutcomes: {},
    examples: [],
  };
}

function addTallies(a: ContentionTally, b: ContentionTally): ContentionTally {
  const otherOutcomes = { ...a.otherOutcomes };
  for (const [code, n] of Object.entries(b.otherOutcomes)) otherOutcomes[code] = (otherOutcomes[code] ?? 0) + n;
  return {
    rounds: a.rounds + b.rounds,
    requests: a.requests + b.requests,
    shouldWin: a.shouldWin + b.shouldWin,
    won: a.won + b.won,
    falseRefusals: a.falseRefusals + b.falseRefusals,
    multiSeatWins: a.multiSeatWins + b.multiSeatWins,
    nonAdjacent: a.nonAdjacent + b.nonAdjacent,
    nonAdjacentFailures: a.nonAdjacentFailures + b.nonAdjacentFailures,
    adjacentFlagMismatches: a.adjacentFlagMismatches + b.adjacentFlagMismatches,
    otherOutcomes,
    examples: [...a.examples, ...b.examples].slice(0, MAX_EXAMPLES),
  };
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10);
