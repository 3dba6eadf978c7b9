/** Environment variables as config.ts reads them (the only reader of process.env passes them in). */
export type Env = Record<string, string | undefined>;

/**
 * Typed readers of `env` that report every bad value into `problems` (and fall back to the default), so that start-up
 * names all configuration mistakes at once instead of the first.
 */
export function envReader(env: Env, problems: string[]) {
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(", ")} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === "") return fallback;
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  /** A URL (trimmed; absent when unset or empty) that must match `scheme`, e.g. "a postgresql:// URL". */
  const url = (name: string, scheme: RegExp, what: string): string | undefined => {
    const value = env[name]?.trim() || undefined;
    if (value !== undefined && !scheme.test(value)) problems.push(`${name} must be ${what}`);
    return value;
  };
  return { int, oneOf, bool, url };
}
