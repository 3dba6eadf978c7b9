/**
 * At most `limit` turns at a time, the others given out in the order they were asked for. A turn lasts until its
 * release function is called (any number of times).
 */
export function turns(limit: number): { acquire(): Promise<() => void> } {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async acquire() {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else running++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = waiting.shift();
        if (next)
          next(); // the turn passes on, `running` unchanged
        else running--;
      };
    },
  };
}
