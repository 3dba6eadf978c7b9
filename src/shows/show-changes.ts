import { type PubSub } from "@graphql-yoga/subscription";
import { type Logger } from "../platform/logger.js";

export const SHOW_CHANGED = "SHOW_CHANGED";

/** A show's row changed (updateShow, cancelShow): what every process keeps about it is stale. */
export interface ShowChanged {
  readonly showId: string;
}

/**
 * The shows module's topic on the event bus: one channel for every show (each process must hear about every show it
 * keeps anything of, and show changes are rare admin actions), the show id in the payload.
 */
export type ShowEventMap = {
  [SHOW_CHANGED]: [change: ShowChanged];
};

/** What a process keeps about shows, by show id: forgetting it makes the next read take it afresh. */
export interface ShowKeepers {
  /** Forgets everything kept about the show (its record, catalog, live seat map). */
  forget(showId: string): void;
  /** Forgets everything kept about every show (the bus reconnected: changes may have been missed). */
  forgetAll(): void;
}

/**
 * Show changes across processes. The freshness contract of everything a process keeps about a show (ShowService's
 * records, ShowCatalogs, the live seat maps, and through the live map's revision and layout identity the HTTP read
 * cache):
 * - the process that changed a show forgets it before the mutation answers (read-your-writes);
 * - every process forgets it when the SHOW_CHANGED event reaches it (the bus's delay), its own included;
 * - when the bus reconnects, events may have been lost: every process forgets every show.
 * So a process serves a show's old terms for at most the bus's delay after the change committed, and never past a
 * bus outage. (Redis down without the subscriber noticing is the one gap: the same as for seat-map events.)
 */
export class ShowChanges {
  private feed: AsyncIterator<ShowChanged> | null = null;

  constructor(
    private readonly pubSub: PubSub<ShowEventMap>,
    private readonly keepers: ShowKeepers,
    private readonly logger: Logger,
  ) {}

  /** After a show change committed: forget it here at once, and tell every process (publishing never throws). */
  announce(showId: string): void {
    this.keepers.forget(showId);
    this.pubSub.publish(SHOW_CHANGED, { showId });
  }

  /** Follows the bus: every process's changes (own ones again: harmless) make this process forget the show. */
  start(): void {
    if (this.feed) return;
    const feed = this.pubSub.subscribe(SHOW_CHANGED)[Symbol.asyncIterator]();
    this.feed = feed;
    void (async () => {
      try {
        for (let next = await feed.next(); !next.done; next = await feed.next()) this.keepers.forget(next.value.showId);
      } catch (error) {
        this.logger.warn("show change feed failed; shows are forgotten at the next bus reconnect", { error });
      }
    })();
  }

  /** The bus reconnected: whatever was published meanwhile is gone, so nothing kept can be trusted. */
  reconnected(): void {
    this.keepers.forgetAll();
  }

  stop(): void {
    void this.feed?.return?.();
    this.feed = null;
  }
}
