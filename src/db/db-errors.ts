/**
 * Finds the PostgreSQL SQLSTATE behind an error from Prisma (raw or typed query, driver adapter) or from pg.
 * Prisma wraps the driver's error in different places depending on the call, so look through the chain.
 */
export function sqlState(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const candidate = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { code?: unknown; driverAdapterError?: unknown };
      cause?: unknown;
    };
    for (const code of [candidate.originalCode, candidate.meta?.code, candidate.code]) {
      if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("P")) return code;
    }
    current = candidate.meta?.driverAdapterError ?? candidate.cause;
  }
  return undefined;
}

export const UNIQUE_VIOLATION = "23505";
/** Lost races the database resolves by aborting one side; safe to retry. */
export const RETRYABLE_STATES: ReadonlySet<string> = new Set(["40P01", "40001"]);
