export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  /** Give up (and fail) after this long. */
  readonly timeoutMs?: number;
  /** Pause between two checks. */
  readonly intervalMs?: number;
  /** What was awaited, for the failure message. */
  readonly message?: string;
}

/**
 * Resolves as soon as `predicate` holds, checking every `intervalMs`; throws after `timeoutMs`. For conditions the
 * test cannot be told about (a gauge, a server-side count), instead of sleeping for a guessed time.
 */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  { timeoutMs = 5000, intervalMs = 20, message = "condition" }: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await sleep(intervalMs);
  }
}
