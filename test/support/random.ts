/**
 * Deterministic pseudo-random numbers in [0, 1] (a linear congruential generator), so a failing run can be replayed
 * from its seed. The arithmetic is kept exactly as the tests first wrote it, so each seed gives the same sequence.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}
