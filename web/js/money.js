// Money as the API sends it: integer minor units of an ISO 4217 currency (`{ amount, currency }`). Sums stay in integers
// and the text handed to Intl is an exact decimal string, so no amount ever passes through a float. Pure.

/**
 * English, like the API's own `Money.formatted`: a total worked out here and the booking's total from the server
 * read the same way.
 */
const LOCALE = "en";

const formats = new Map();

function formatOf(currency) {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { style: "currency", currency });
    formats.set(currency, format);
  }
  return format;
}

/** Minor-unit digits of `currency` as Intl knows them: 2 for EUR, 0 for JPY, 3 for BHD. */
export function currencyDigits(currency) {
  return formatOf(currency).resolvedOptions().maximumFractionDigits;
}

/** 17800 minor units with 2 digits → "178.00"; with 0 → "17800". Exact for any safe integer. */
export function minorUnitsToDecimal(amount, digits) {
  const sign = amount < 0 ? "-" : "";
  const units = String(Math.abs(amount)).padStart(digits + 1, "0");
  if (digits === 0) return `${sign}${units}`;
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** `{ amount: 17800, currency: "EUR" }` → "€178.00". Intl reads a string argument as an exact decimal. */
export function formatMoney({ amount, currency }) {
  return formatOf(currency).format(minorUnitsToDecimal(amount, currencyDigits(currency)));
}

/** The sum of `prices` (Money or null), or null when there are none, one is missing, or their currencies differ. */
export function sumMoney(prices) {
  if (prices.length === 0 || prices.some((price) => !price)) return null;
  const { currency } = prices[0];
  if (prices.some((price) => price.currency !== currency)) return null;
  return { amount: prices.reduce((total, price) => total + price.amount, 0), currency };
}
