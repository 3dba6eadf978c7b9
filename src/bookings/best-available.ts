import { type SeatPosition, seatNumber } from "../domain/seat-layout.js";
import { BLOCK_ATTEMPTS, BLOCK_CANDIDATES, ROWS_SEARCHED_FIRST } from "./sql/best-blocks.js";
import { type Block } from "./booking.store.js";

export interface Candidate {
  readonly block: Block;
  readonly seatNumbers: string[];
}

export interface ShowShape {
  readonly id: string;
  readonly seatsPerRow: number;
}

/** Runs the best-blocks search (BookingStore.bestBlocks). */
export type BlockSearch = (show: ShowShape, quantity: number, limit: number, rows: number | null) => Promise<Block[]>;

/** How long a search result is shared by the pickers of one process. */
const SHARED_FOR_MS = 100;
const MAX_SHARED_SEARCHES = 1000;

interface SharedSearch {
  readonly at: number;
  readonly blocks: Promise<Block[]>;
}

/**
 * Finds seat blocks for "best available" holds. During an on-sale hundreds of pickers per second would each run the
 * same search over the same rows, so a search for a show and quantity is shared by this process's pickers for
 * SHARED_FOR_MS. The shared lists follow this process's own changes (claimed seats leave them at once; released
 * seats end the sharing, as they may form better blocks); a block taken through another process meanwhile costs one
 * failed, conditional claim.
 */
export class BlockFinder {
  /** Shared searches by show, then by quantity. */
  private readonly searches = new Map<string, Map<number, SharedSearch>>();

  constructor(private readonly searchBlocks: BlockSearch) {}

  /**
   * Blocks to try, in order: the best first (everyone tries it; one wins), then the others in random order, so
   * concurrent pickers spread over neighbouring blocks instead of all queueing for the second best, then the third.
   */
  async candidates(show: ShowShape, quantity: number): Promise<Candidate[]> {
    // (Shared lists are copied before shuffling, so every picker gets its own order.)
    const [best, ...others] = await this.search(show, quantity);
    if (!best) return [];
    return [best, ...shuffle(others)].slice(0, BLOCK_ATTEMPTS).map((block) => ({
      block,
      seatNumbers: Array.from({ length: quantity }, (_, i) => seatNumber(block.rowIndex, block.start + i)),
    }));
  }

  /** Seats this process just claimed: no shared block that contains one of them is offered again. */
  claimed(showId: string, seats: readonly Pick<SeatPosition, "rowIndex" | "seatInRow">[]): void {
    for (const [quantity, shared] of this.searches.get(showId) ?? []) {
      const overlaps = (b: Block) =>
        seats.some((s) => s.rowIndex === b.rowIndex && s.seatInRow >= b.start && s.seatInRow < b.start + quantity);
      void shared.blocks.then(
        (blocks) => {
          for (let i = blocks.length - 1; i >= 0; i--) if (overlaps(blocks[i]!)) blocks.splice(i, 1);
        },
        () => {},
      );
    }
  }

  /** Seats of the show became free: shared searches may miss better blocks now. */
  released(showId: string): void {
    this.searches.delete(showId);
  }

  private search(show: ShowShape, quantity: number): Promise<Block[]> {
    const now = performance.now();
    const shared = this.searches.get(show.id)?.get(quantity);
    if (shared && now - shared.at < SHARED_FOR_MS) return shared.blocks.then((blocks) => [...blocks]);
    if (this.sharedSearches() >= MAX_SHARED_SEARCHES) this.searches.clear();
    const blocks = this.searchRows(show, quantity);
    const ofShow = this.searches.get(show.id) ?? new Map<number, SharedSearch>();
    ofShow.set(quantity, { at: now, blocks });
    this.searches.set(show.id, ofShow);
    blocks.catch(() => {
      if (ofShow.get(quantity)?.blocks === blocks) ofShow.delete(quantity);
    });
    return blocks.then((found) => [...found]);
  }

  private sharedSearches(): number {
    let count = 0;
    for (const ofShow of this.searches.values()) count += ofShow.size;
    return count;
  }

  /** The first rows that have free seats, or (when those have no such block) the whole hall. */
  private async searchRows(show: ShowShape, quantity: number): Promise<Block[]> {
    const nearFront = await this.searchBlocks(show, quantity, BLOCK_CANDIDATES, ROWS_SEARCHED_FIRST);
    return nearFront.length > 0 ? nearFront : this.searchBlocks(show, quantity, BLOCK_CANDIDATES, null);
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
