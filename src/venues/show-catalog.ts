import { type PrismaClient } from "../db/prisma.js";
import { type Money } from "../domain/money.js";
import { ByteCache } from "../platform/byte-cache.js";
import { type LayoutDefinition } from "./layout/index.js";

/** A show's seat category with its price for that show. */
export interface PricedCategory {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  /** Null for a show without prices. */
  readonly price: Money | null;
}

/** What a show sells: its categories with prices and its sections, in layout order. */
export interface ShowCatalog {
  readonly categories: readonly PricedCategory[];
  readonly sections: readonly { readonly key: string; readonly label: string }[];
}

/** The catalog of shows made before venues: one section, one unpriced category (as the migration stored them). */
const RECTANGLE: ShowCatalog = {
  categories: [{ key: "STANDARD", label: "Standard", color: "#4F7CAC", price: null }],
  sections: [{ key: "MAIN", label: "Main" }],
};

/** About 2,000 shows' catalogs. */
const CATALOG_CACHE_BYTES = 4 * 1024 * 1024;
const catalogBytes = (catalog: ShowCatalog) => 200 + catalog.categories.length * 300 + catalog.sections.length * 200;

interface ShowTerms {
  readonly id: string;
  readonly layoutId: string | null;
  readonly currency: string | null;
}

/**
 * Shows' catalogs, read once per show and kept: a show's layout version and prices do not change once it exists.
 * Many shows are read with one statement.
 */
export class ShowCatalogs {
  private readonly cache = new ByteCache<ShowCatalog>({ maxBytes: CATALOG_CACHE_BYTES, sizeOf: catalogBytes });

  constructor(private readonly prisma: PrismaClient) {}

  async catalogsOf(shows: readonly ShowTerms[]): Promise<ShowCatalog[]> {
    const found = new Map<string, ShowCatalog>();
    const missing = shows.filter((show) => {
      const cached = show.layoutId === null ? RECTANGLE : this.cache.get(show.id);
      if (cached) found.set(show.id, cached);
      return !cached;
    });
    if (missing.length > 0) {
      const layoutIds = [...new Set(missing.map((show) => show.layoutId!))];
      const [layouts, prices] = await Promise.all([
        this.prisma.venueLayout.findMany({ where: { id: { in: layoutIds } }, select: { id: true, definition: true } }),
        this.prisma.showPrice.findMany({ where: { showId: { in: missing.map((show) => show.id) } } }),
      ]);
      const definitions = new Map(
        layouts.map((layout) => [layout.id, layout.definition as unknown as LayoutDefinition]),
      );
      for (const show of missing) {
        const definition = definitions.get(show.layoutId!)!;
        const priceOf = new Map(prices.filter((p) => p.showId === show.id).map((p) => [p.categoryKey, p.amount]));
        const catalog: ShowCatalog = {
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
        this.cache.set(show.id, catalog);
        found.set(show.id, catalog);
      }
    }
    // (From `found`, not the cache: a batch larger than the cache would have pushed some out again.)
    return shows.map((show) => found.get(show.id)!);
  }
}
