import { type Booker, type HoldOutcome } from "../lib/bookers";
import { now, random, Recorder, round } from "../lib/stats";
import { type SeatSelection } from "../lib/graphql";

export interface LoadResult {
  readonly booker: string;
  readonly users: number;
  readonly seconds: number;
  readonly soldOut: boolean;
  readonly holdAttempts: number;
  readonly holdsSucceeded: number;
  readonly confirms: number;
  readonly cancels: number;
  readonly attemptsPerSecond: number;
  readonly holdsPerSecond: number;
  readonly confirmsPerSecond: number;
  readonly hold: ReturnType<Recorder["summary"]>;
  readonly holdOk: ReturnType<Recorder["summary"]>;
  readonly holdFailed: ReturnType<Recorder["summary"]>;
  readonly confirm: ReturnType<Recorder["summary"]>;
  readonly cancel: ReturnType<Recorder["summary"]>;
}

interface LoadOptions {
  readonly users: number;
  readonly seconds: number;
  readonly seed: number;
  /** Share of holds that name their seats (the rest ask for best available); 0.3 unless given. */
  readonly explicitShare?: number;
}

/** Codes that mean the API broke its promise to the client (a database error surfaced, a crash). */
export const FAILURE_CODES = new Set(["INTERNAL_SERVER_ERROR", "ERROR", "HTTP_500", "HTTP_502", "HTTP_503", "NETWORK"]);

async function timed<T>(
  recorders: Recorder[],
  run: () => Promise<T>,
  codeOf: (value: T) => string,
): Promise<T | undefined> {
  const start = now();
  try {
    const value = await run();
    const ms = now() - start;
    for (const r of recorders) r.record(ms, codeOf(value));
    return value;
  } catch {
    for (const r of recorders) r.record(now() - start, "NETWORK");
    return undefined;
  }
}

/**
 * Flash sale: every virtual user loops hold → confirm (80 %) or cancel (20 %) until the show sells out or time runs
 * out. Holds are 70 % "best available" (1–4 seats) and 30 % explicit seats picked among those the user last saw free
 * (`explicitShare` changes the split; with 1 every hold names its seats while the user still sees enough free).
 */
export async function flashSale(booker: Booker, options: LoadOptions): Promise<LoadResult> {
  const hold = new Recorder();
  const holdOk = new Recorder();
  const holdFailed = new Recorder();
  const confirm = new Recorder();
  const cancel = new Recorder();
  const initial = await booker.available("bench-viewer");
  const deadline = now() + options.seconds * 1000;
  let soldOut = false;
  const started = now();

  const user = async (n: number) => {
    const rand = random(options.seed * 1000 + n);
    let view = [...initial];
    let iterations = 0;
    while (!soldOut && now() < deadline) {
      // Each iteration is another person buying (a virtual user stands for a stream of people, as in an on-sale),
      // so per-user limits see people, not a script.
      const id = `flash-${options.seed}-${n}-${iterations}`;
      // A client reloads its seat map now and then (live clients would apply events instead).
      if (++iterations % 100 === 0) view = (await booker.available(id).catch(() => view)) ?? view;
      const quantity = 1 + Math.floor(rand() * 4);
      const explicit = rand() < (options.explicitShare ?? 0.3) && view.length >= quantity;
      const seatNumbers = explicit ? pick(view, quantity, rand) : undefined;
      const outcome = await timedHold(booker, id, seatNumbers ? { seatNumbers } : { quantity }, {
        hold,
        holdOk,
        holdFailed,
      });
      if (outcome.code === "OK" && outcome.bookingId) {
        const bookingId = outcome.bookingId;
        if (seatNumbers) view = view.filter((s) => !seatNumbers.includes(s));
        if (rand() < 0.8)
          await timed(
            [confirm],
            () => booker.confirm(id, bookingId),
            (c) => c,
          );
        else
          await timed(
            [cancel],
            () => booker.cancel(id, bookingId),
            (c) => c,
          );
      } else if (outcome.code === "SEATS_UNAVAILABLE") {
        const taken = new Set(outcome.unavailable ?? []);
        view = view.filter((s) => !taken.has(s));
        if (!seatNumbers) {
          // A quantity hold failed: the show may be sold out (or nearly: retry with what the map shows).
          view = await booker.available(id).catch(() => view);
          if (view.length === 0) soldOut = true;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, (_, n) => user(n)));
  return summarize(booker.name, options.users, (now() - started) / 1000, soldOut, {
    hold,
    holdOk,
    holdFailed,
    confirm,
    cancel,
  });
}

/** Hot seats: every user fights for 1–2 of the same few seats; a won hold is cancelled at once to keep the fight on. */
export async function hotSeats(booker: Booker, seats: string[], options: LoadOptions): Promise<LoadResult> {
  const hold = new Recorder();
  const holdOk = new Recorder();
  const holdFailed = new Recorder();
  const confirm = new Recorder();
  const cancel = new Recorder();
  const deadline = now() + options.seconds * 1000;
  const started = now();
  const user = async (n: number) => {
    const rand = random(options.seed * 1000 + n);
    let iterations = 0;
    while (now() < deadline) {
      const id = `hot-${options.seed}-${n}-${iterations++}`;
      const seatNumbers = pick(seats, 1 + Math.floor(rand() * 2), rand);
      const outcome = await timedHold(booker, id, { seatNumbers }, { hold, holdOk, holdFailed });
      if (outcome.code === "OK" && outcome.bookingId) {
        const bookingId = outcome.bookingId;
        await timed(
          [cancel],
          () => booker.cancel(id, bookingId),
          (c) => c,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.users }, (_, n) => user(n)));
  return summarize(booker.name, options.users, (now() - started) / 1000, false, {
    hold,
    holdOk,
    holdFailed,
    confirm,
    cancel,
  });
}

/** One hold, its latency recorded under every attempt and under won or failed. */
async function timedHold(
  booker: Booker,
  user: string,
  seats: SeatSelection,
  r: { hold: Recorder; holdOk: Recorder; holdFailed: Recorder },
): Promise<HoldOutcome> {
  const start = now();
  let outcome: HoldOutcome;
  try {
    outcome = await booker.hold(user, seats);
  } catch {
    outcome = { code: "NETWORK" };
  }
  const ms = now() - start;
  r.hold.record(ms, outcome.code);
  (outcome.code === "OK" ? r.holdOk : r.holdFailed).record(ms, outcome.code);
  return outcome;
}

function pick(from: string[], count: number, rand: () => number): string[] {
  const picked = new Set<string>();
  while (picked.size < Math.min(count, from.length)) picked.add(from[Math.floor(rand() * from.length)]!);
  return [...picked];
}

function summarize(
  booker: string,
  users: number,
  seconds: number,
  soldOut: boolean,
  r: { hold: Recorder; holdOk: Recorder; holdFailed: Recorder; confirm: Recorder; cancel: Recorder },
): LoadResult {
  return {
    booker,
    users,
    seconds: round(seconds, 2),
    soldOut,
    holdAttempts: r.hold.count,
    holdsSucceeded: r.holdOk.count,
    confirms: r.confirm.codes.get("OK") ?? 0,
    cancels: r.cancel.codes.get("OK") ?? 0,
    attemptsPerSecond: round(r.hold.count / seconds),
    holdsPerSecond: round(r.holdOk.count / seconds),
    confirmsPerSecond: round((r.confirm.codes.get("OK") ?? 0) / seconds),
    hold: r.hold.summary(),
    holdOk: r.holdOk.summary(),
    holdFailed: r.holdFailed.summary(),
    confirm: r.confirm.summary(),
    cancel: r.cancel.summary(),
  };
}
