import { checkPrice, isCurrency } from "../domain/money.js";
import { invalidInput, type Problem } from "../domain/problem.js";
import { formatLocalDateTime, localToInstant, parseLocalDateTime } from "../domain/time-zone.js";

/** What createShow asks for about time and prices (the venue is resolved before). */
export interface ShowTerms {
  readonly startsAt?: Date | null;
  readonly startsAtLocal?: string | null;
  readonly prices?: readonly { readonly category: string; readonly amount: number; readonly currency: string }[] | null;
}

export interface PlannedTerms {
  readonly startsAt: Date;
  readonly currency: string | null;
  /** Price by category key (minor units). */
  readonly prices: ReadonlyMap<string, number>;
}

/**
 * Checks a new show's start and prices against its venue (time zone, categories of the layout) and reports every
 * problem: exactly one of startsAt / startsAtLocal, a start in the future that exists in the zone, and either no
 * prices (allowed only when `pricesRequired` is false) or exactly one integer price per category, all in one currency.
 */
export function planShowTerms(
  terms: ShowTerms,
  venue: { readonly timeZone: string; readonly categories: readonly string[]; readonly pricesRequired: boolean },
  now: Date,
): { ok: true; plan: PlannedTerms } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const startsAt = planStart(terms, venue.timeZone, now, problems);
  const { currency, prices } = planPrices(terms.prices ?? [], venue, problems);
  if (problems.length > 0 || !startsAt) return { ok: false, problems };
  return { ok: true, plan: { startsAt, currency, prices } };
}

/** The start the terms give (exactly one of startsAt / startsAtLocal, in the future); null with problems added. */
export function planStart(terms: ShowTerms, timeZone: string, now: Date, problems: Problem[]): Date | null {
  const startsAt = startOf(terms, timeZone, problems);
  if (startsAt && startsAt.getTime() <= now.getTime()) {
    problems.push(invalidInput("The show must start in the future.", terms.startsAt ? "startsAt" : "startsAtLocal"));
    return null;
  }
  return startsAt;
}

/**
 * Prices by category from a full price list (as createShow and updateShow take it): either none (allowed only when
 * `pricesRequired` is false) or exactly one integer price per category of the layout, all in one currency. Problems
 * are added to `problems` (field paths under `prices`).
 */
export function planPrices(
  given: NonNullable<ShowTerms["prices"]>,
  venue: { readonly categories: readonly string[]; readonly pricesRequired: boolean },
  problems: Problem[],
): { currency: string | null; prices: Map<string, number> } {
  const prices = new Map<string, number>();
  const currencies = new Set<string>();
  given.forEach((price, i) => {
    const at = (field: string, message: string) => invalidInput(message, "prices", String(i), field);
    if (!venue.categories.includes(price.category)) {
      const known = venue.categories.join(", ");
      problems.push(at("category", `No category ${price.category} in the layout (${known}).`));
    } else if (prices.has(price.category)) {
      problems.push(at("category", `Category ${price.category} is priced twice.`));
    }
    const amountProblem = checkPrice(price.amount);
    if (amountProblem) problems.push(at("amount", amountProblem));
    if (!isCurrency(price.currency)) {
      problems.push(at("currency", `Unknown currency "${price.currency}": give an ISO 4217 code, e.g. EUR.`));
    }
    currencies.add(price.currency);
    prices.set(price.category, price.amount);
  });
  if (currencies.size > 1) {
    problems.push(
      invalidInput(`A show has one currency; these prices mix ${[...currencies].sort().join(", ")}.`, "prices"),
    );
  }
  if (given.length > 0 || venue.pricesRequired) {
    const unpriced = venue.categories.filter((key) => !given.some((price) => price.category === key));
    if (unpriced.length > 0)
      problems.push(invalidInput(`Every category needs a price; missing: ${unpriced.join(", ")}.`, "prices"));
  }
  return { currency: currencies.size === 1 ? [...currencies][0]! : null, prices };
}

function startOf(terms: ShowTerms, timeZone: string, problems: Problem[]): Date | null {
  const hasInstant = terms.startsAt !== undefined && terms.startsAt !== null;
  const hasLocal = terms.startsAtLocal !== undefined && terms.startsAtLocal !== null;
  if (hasInstant === hasLocal) {
    problems.push(
      invalidInput("Give exactly one of startsAt or startsAtLocal.", hasInstant ? "startsAtLocal" : "startsAt"),
    );
    return null;
  }
  if (hasInstant) return terms.startsAt!;
  const local = parseLocalDateTime(terms.startsAtLocal!);
  if (!local) {
    problems.push(
      invalidInput('startsAtLocal is a local date and time without offset, e.g. "2027-03-01T19:30".', "startsAtLocal"),
    );
    return null;
  }
  const instant = localToInstant(local, timeZone);
  if ("problem" in instant) {
    const text = formatLocalDateTime(local);
    problems.push(invalidInput(`${text} does not exist in ${timeZone} (the clocks skip it).`, "startsAtLocal"));
    return null;
  }
  return instant.instant;
}
