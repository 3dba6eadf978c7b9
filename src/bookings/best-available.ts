import { type Prisma } from "../db/prisma.js";
import { seatNumber } from "../seats/seat-layout.js";
import { BLOCK_ATTEMPTS, BLOCK_CANDIDATES, bestBlocksStatement, ROWS_SEARCHED_FIRST } from "./booking.statements.js";

export interface Block {
  readonly rowIndex: number;
  readonly start: number;
}

export interface Candidate {
  readonly block: Block;
  readonly seatNumbers: string[];
}

type Query = <T>(sql: Prisma.Sql) => Promise<T[]>;

/** How long a search result is shared by the pickers of one process. */
const SHARED_FOR_MS = 100;
const MAX_SHARED_SEARCHES = 1000;

/**
 * Finds seat blocks for "best available" holds. During an on-sale hundreds of pickers per second would each run the
 * same search over the same rows, so a search for a show and quantity is shared by this process's pickers for
 * SHARED_FOR_MS. The shared lists follow this process's own changes (claimed seats leave them at once; released
 * seats end the sharing, as they may form better blocks); a block taken through another process meanwhile costs one
 * failed, conditional claim. The benchmark's raw-SQL ceiling runs this class too.
 */
export class BlockFinder {
  private readonly searches = new Map<string, { at: number; blocks: Promise<Block[]> }>();

  constructor(private readonly query: Query) {}

  /**
   * Blocks to try, in order: the best first (everyone tries it; one wins), then the others in random order, so
   * concurrent pickers spread over neighbouring blocks instead of all queueing for the second best, then the third.
   */
  async candidates(show: { id: string; seatsPerRow: number }, quantity: number): Promise<Candidate[]> {
    // (Shared lists are copied before shuffling, so every picker gets its own order.)
    const [best, ...others] = await this.search(show, quantity);
    if (!best) return [];
    return [best, ...shuffle(others)]
      .slice(0, BLOCK_ATTEMPTS)
      .map((block) => ({ block, seatNumbers: Array.from({ length: quantity }, (_, i) => seatNumber(block.rowIndex, block.start + i)) }));
  }

  /** Seats this process just claimed: no shared block that contains one of them is offered again. */
  claimed(showId: string, seats: readonly { rowIndex: number; seatInRow: number }[]): void {
    for (const [key, shared] of this.searches) {
      if (!key.startsWith(`${showId}:`)) continue;
      const quantity = Number(key.slice(showId.length + 1));
      void shared.blocks.then((blocks) => {
        const overlaps = (b: Block) => seats.some((s) => s.rowIndex === b.rowIndex && s.seatInRow >= b.start && s.seatInRow < b.start + quantity);
        for (let i = blocks.length - 1; i >= 0; i--) if (overlaps(blocks[i]!)) blocks.splice(i, 1);
      }, () => {});
    }
  }

  /** Seats of the show became free: shared searches may miss better blocks now. */
  released(showId: string): void {
    for (const key of this.searches.keys()) if (key.startsWith(`${showId}:`)) this.searches.delete(key);
  }

  private search(show: { id: string; seatsPerRow: number }, quantity: number): Promise<Block[]> {
    const key = `${show.id}:${quantity}`;
    const now = performance.now();
    const shared = this.searches.get(key);
    if (shared && now - shared.at < SHARED_FOR_MS) return shared.blocks.then((blocks) => [...blocks]);
    if (this.searches.size >= MAX_SHARED_SEARCHES) this.searches.clear();
    const blocks = this.searchRows(show, quantity);
    this.searches.set(key, { at: now, blocks });
    blocks.catch(() => this.searches.delete(key));
    return blocks.then((found) => [...found]);
  }

  /** The first rows that have free seats, or (when those have no such block) the whole hall. */
  private async searchRows(show: { id: string; seatsPerRow: number }, quantity: number): Promise<Block[]> {
    const nearFront = await this.query<Block>(bestBlocksStatement(show, quantity, BLOCK_CANDIDATES, ROWS_SEARCHED_FIRST));
    return nearFront.length > 0 ? nearFront : this.query<Block>(bestBlocksStatement(show, quantity, BLOCK_CANDIDATES, null));
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
