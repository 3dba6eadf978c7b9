import { type PrismaClient } from "../db/prisma.js";
import { type Money } from "../domain/money.js";
import { type Venue } from "../generated/prisma/client.js";
import { ByteCache } from "../platform/byte-cache.js";
import { type LayoutDefinition, rectangularLayout } from "./layout/index.js";

/** A show's seat category with its price for that show. */
export interface PricedCategory {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  /** Null for a show without prices. */
  readonly price: Money | null;
}

/** What a show sells and where: its venue and layout version, its categories with prices and its sections. */
export interface ShowCatalog {
  /** Null for shows made before venues. */
  readonly venue: Venue | null;
  readonly layoutVersion: number | null;
  readonly categories: readonly PricedCategory[];
  readonly sections: readonly { readonly key: string; readonly label: string }[];
}

/**
 * The catalog of shows made before venues: the rectangular layout's one section and one category, unpriced (the
 * migration gave their seats those keys).
 */
const RECTANGLE: ShowCatalog = (() => {
  const { categories, sections } = rectangularLayout(1, 1);
  return {
    venue: null,
    layoutVersion: null,
    categories: categories.map(({ key, label, color }) => ({ key, label, color, price: null })),
    sections: sections.map(({ key, label }) => ({ key, label })),
  };
})();

/** About 2,000 shows' catalogs. */
const CATALOG_CACHE_BYTES = 4 * 1024 * 1024;
const catalogBytes = (catalog: ShowCatalog) =>
  400 + 2 * (catalog.venue?.name.length ?? 0) + catalog.categories.length * 300 + catalog.sections.length * 200;

interface ShowTerms {
  readonly id: string;
  readonly layoutId: string | null;
  readonly currency: string | null;
}

const newCatalogCache = () => new ByteCache<ShowCatalog>({ maxBytes: CATALOG_CACHE_BYTES, sizeOf: catalogBytes });

/**
 * Shows' catalogs, read once per show and kept until the show changes. Many shows are read with one statement per
 * table.
 *
 * Freshness: a show's layout version and prices change only through updateShow, which announces the change after it
 * commits (ShowChanges): this process forgets the show's catalog before the mutation answers, every other one when
 * the event reaches it, and all of them when the event bus reconnects (events may have been lost). A catalog read
 * while a show was forgotten is served but not kept (it may predate the change).
 */
export class ShowCatalogs {
  private cache = newCatalogCache();
  /** Counts forgets: a read that saw one happen while it ran keeps nothing. */
  private forgets = 0;

  constructor(private readonly prisma: PrismaClient) {}

  /** Forgets a show's catalog (its terms changed): the next read takes it afresh. */
  forget(showId: string): void {
    this.forgets++;
    this.cache.delete(showId);
  }

  /** Forgets every catalog (changes may have been missed). */
  forgetAll(): void {
    this.forgets++;
    this.cache = newCatalogCache();
  }

  async catalogsOf(shows: readonly ShowTerms[]): Promise<ShowCatalog[]> {
    const found = new Map<string, ShowCatalog>();
    const missing = shows.filter((show) => {
      const cached = show.layoutId === null ? RECTANGLE : this.cache.get(show.id);
      if (cached) found.set(show.id, cached);
      return !cached;
    });
    if (missing.length > 0) {
      const forgetsBefore = this.forgets;
      const layoutIds = [...new Set(missing.map((show) => show.layoutId!))];
      const [layouts, prices] = await Promise.all([
        this.prisma.venueLayout.findMany({
          where: { id: { in: layoutIds } },
          select: { id: true, version: true, definition: true, venue: true },
        }),
        this.prisma.showPrice.findMany({ where: { showId: { in: missing.map((show) => show.id) } } }),
      ]);
      const layoutOf = new Map(layouts.map((layout) => [layout.id, layout]));
      for (const show of missing) {
        const layout = layoutOf.get(show.layoutId!)!;
        const definition = layout.definition as unknown as LayoutDefinition;
        const priceOf = new Map(prices.filter((p) => p.showId === show.id).map((p) => [p.categoryKey, p.amount]));
        const catalog: ShowCatalog = {
          venue: layout.venue,
          layoutVersion: layout.version,
          categories: definition.categories.map(({ key, label, color }) => {
            const amount = priceOf.get(key);
            return {
              key,
              label,
              color,
              price: amount === undefined || show.currency === null ? null : { amount, currency: show.currency },
            };
          }),
          sections: definition.sections.map(({ key, label }) => ({ key, label })),
        };
        if (this.forgets === forgetsBefore) this.cache.set(show.id, catalog);
        found.set(show.id, catalog);
      }
    }
    // (From `found`, not the cache: a batch larger than the cache would have pushed some out again.)
    return shows.map((show) => found.get(show.id)!);
  }
}
