/**
 * Amounts of money as whole numbers of a currency's minor unit (cents), never floats, so that sums are exact; the
 * currency's digits and its formatting come from Intl.
 */

/** An amount in minor units (4500 EUR is €45.00), a safe integer, with its ISO 4217 currency code. */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/**
 * The highest price checkPrice allows: 100,000 major units of a two-digit currency, so that a hold of up to 100 seats
 * (the ceiling of a hold request) totals at most 10^9, within a GraphQL Int.
 */
export const MAX_PRICE = 10_000_000;

const CURRENCY_CODE = /^[A-Z]{3}$/;

// Built on first use; both are bounded by the currencies Intl knows (about 160).
let knownCurrencies: ReadonlySet<string> | undefined;
const digitsByCurrency = new Map<string, number>();

// One formatter per locale and currency; the bound only stops arbitrary locale tags from growing it forever.
const MAX_CACHED_FORMATTERS = 64;
const formatters = new Map<string, DecimalFormat>();

/**
 * Intl.NumberFormat as ECMA-402 2023 (and Node 20) define it: `format` takes a decimal string and formats it exactly.
 * The project's ES2022 typings only admit number | bigint.
 */
interface DecimalFormat {
  format(decimal: string): string;
}

/** Whether this is an upper-case ISO 4217 code Intl lists as a currency ("EUR", "JPY"; not "eur", "XYZ"). */
export function isCurrency(code: string): boolean {
  knownCurrencies ??= new Set(Intl.supportedValuesOf("currency"));
  return CURRENCY_CODE.test(code) && knownCurrencies.has(code);
}

/** How many digits the currency's minor unit has: EUR 2, JPY 0, KWD 3. Throws RangeError for an unknown currency. */
export function minorUnitDigits(currency: string): number {
  const cached = digitsByCurrency.get(currency);
  if (cached !== undefined) return cached;
  requireCurrency(currency);
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  // Always set for a currency style; the ES2022 typings leave it optional for other styles.
  if (digits === undefined) throw new Error(`Intl gave no minor digits for ${currency}`);
  digitsByCurrency.set(currency, digits);
  return digits;
}

/**
 * The total of amounts in one currency (zero for none). Throws RangeError when an item is in another currency, an
 * amount is not a safe integer, or the total is beyond Number.MAX_SAFE_INTEGER (in either direction).
 */
export function sumMoney(items: readonly Money[], currency: string): Money {
  requireCurrency(currency);
  // BigInt so the check applies to the true total: float additions past 2^53 would round before it could be seen.
  let total = 0n;
  for (const item of items) {
    if (item.currency !== currency) throw new RangeError(`Cannot add ${item.currency} to a sum in ${currency}`);
    requireSafeInteger(item.amount);
    total += BigInt(item.amount);
  }
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`A sum of ${total} minor units of ${currency} is beyond the safe integer range`);
  }
  return { amount: Number(total), currency };
}

/**
 * The amount as the locale writes it, with exactly the currency's minor digits: "€45.00", "¥4,500", "KWD 4.500"
 * (a no-break space after the code). Exact for every safe integer: the decimal is built as a string from the integer,
 * never by dividing a float.
 * Throws RangeError for an unknown currency or an amount that is not a safe integer.
 */
export function formatMoney(money: Money, locale = "en"): string {
  requireSafeInteger(money.amount);
  const digits = minorUnitDigits(money.currency);
  return formatterFor(locale, money.currency, digits).format(decimalString(money.amount, digits));
}

/**
 * Why an amount in minor units is not a valid price, or null when it is: a whole number from 0 (free) to MAX_PRICE.
 * The message is for the person who typed the price.
 */
export function checkPrice(amount: number): string | null {
  if (!Number.isInteger(amount)) return `A price must be a whole number of minor units (cents), not ${amount}.`;
  if (amount < 0) return "A price cannot be negative.";
  if (amount > MAX_PRICE) return `A price cannot exceed ${MAX_PRICE} minor units (100,000.00 at two digits).`;
  return null;
}

function requireCurrency(currency: string): void {
  if (!isCurrency(currency)) throw new RangeError(`Unknown currency: ${currency}`);
}

function requireSafeInteger(amount: number): void {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`An amount must be a safe integer of minor units: ${amount}`);
}

/** 4500 at 2 digits -> "45.00"; -5 -> "-0.05"; 4500 at 0 digits -> "4500". */
function decimalString(amount: number, digits: number): string {
  const sign = amount < 0 ? "-" : "";
  // A safe integer's String() is plain digits (exponents start at 1e21).
  const units = String(Math.abs(amount)).padStart(digits + 1, "0");
  if (digits === 0) return sign + units;
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

function formatterFor(locale: string, currency: string, digits: number): DecimalFormat {
  const key = `${locale} ${currency}`;
  const cached = formatters.get(key);
  if (cached !== undefined) return cached;
  const formatter = new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }) as unknown as DecimalFormat;
  if (formatters.size >= MAX_CACHED_FORMATTERS) {
    const oldest = formatters.keys().next();
    if (oldest.done !== true) formatters.delete(oldest.value);
  }
  formatters.set(key, formatter);
  return formatter;
}
