import DataLoader from "dataloader";
import { type BookingLine, type BookingLines, type PricedBooking } from "./booking-lines.js";
import { type ShowCatalog, type ShowCatalogs } from "./show-catalog.js";

export interface VenueLoaders {
  /** A show's categories with prices and its sections, by show (all shows of a query in one statement). */
  readonly catalog: DataLoader<
    { readonly id: string; readonly layoutId: string | null; readonly currency: string | null },
    ShowCatalog,
    string
  >;
  /** A booking's seats with category and price (all bookings of a query in one statement). */
  readonly bookingLines: DataLoader<PricedBooking, BookingLine[], string>;
}

export function createVenueLoaders(catalogs: ShowCatalogs, lines: BookingLines): VenueLoaders {
  return {
    catalog: new DataLoader((shows) => catalogs.catalogsOf(shows), { cacheKeyFn: (show) => show.id }),
    bookingLines: new DataLoader((bookings) => lines.linesOf(bookings), { cacheKeyFn: (booking) => booking.id }),
  };
}
