/**
 * The bytes `value` takes as JSON (UTF-8; escapes inside strings aside), counted only up to `limit`: past it the walk
 * stops and returns `limit + 1`, so measuring an oversized answer costs no more than measuring one at the limit, and
 * nothing is serialized twice. Iterative, so no nesting overflows it.
 */
export function jsonBytesAtMost(value: unknown, limit: number): number {
  let bytes = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    if (bytes > limit) return limit + 1;
    const item = pending.pop();
    if (typeof item === "string") bytes += Buffer.byteLength(item) + 2;
    else if (typeof item === "number" || typeof item === "boolean") bytes += String(item).length;
    else if (item === null || typeof item !== "object") bytes += 4;
    else if (Array.isArray(item)) {
      bytes += 2 + Math.max(0, item.length - 1); // brackets and commas
      for (const element of item) pending.push(element ?? null);
    } else if (typeof (item as { toJSON?: unknown }).toJSON === "function") {
      pending.push((item as { toJSON(): unknown }).toJSON());
    } else {
      let keys = 0;
      for (const key in item) {
        const field = (item as Record<string, unknown>)[key];
        if (field === undefined) continue;
        keys++;
        bytes += key.length + 3; // quotes and colon (GraphQL names are ASCII)
        pending.push(field);
      }
      bytes += 2 + Math.max(0, keys - 1);
    }
  }
  return bytes > limit ? limit + 1 : bytes;
}
