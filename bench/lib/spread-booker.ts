import { type Booker } from "./bookers";

/**
 * Several API processes behind one imaginary load balancer: each person (user id) sticks to one process, and the
 * people are spread evenly over them.
 */
export function spreadBooker(bookers: Booker[]): Booker {
  const of = (user: string) => bookers[hash(user) % bookers.length]!;
  return {
    name: `${bookers.length} × ${bookers[0]!.name}`,
    hold: (user, input) => of(user).hold(user, input),
    confirm: (user, bookingId) => of(user).confirm(user, bookingId),
    cancel: (user, bookingId) => of(user).cancel(user, bookingId),
    available: (user) => of(user).available(user),
  };
}

/** FNV-1a: cheap, and spreads user ids that differ only in their last digits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
