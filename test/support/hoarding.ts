import { print } from "graphql";
import { HoldSeatsDocument, type HoldSeatsInput, type HoldSeatsMutation } from "../__generated__/graphql";
import { type PrismaClient } from "./from-src";
import { type TestApp } from "./test-app";
import { databaseId } from "./ids";

/*
 * Helpers for the on-sale defence tests: holds from a chosen client address (through X-Forwarded-For, with
 * TRUST_PROXY=1), and time moved in the database for one booking.
 */

/** holdSeats as `user` from client `address` (the API must trust one proxy hop), returning the payload. */
export async function holdFrom(
  t: TestApp,
  user: string,
  address: string,
  input: HoldSeatsInput,
): Promise<HoldSeatsMutation["holdSeats"]> {
  const { status, text } = await t.post(JSON.stringify({ query: print(HoldSeatsDocument), variables: { input } }), {
    authorization: `Bearer ${t.token(user)}`,
    "x-forwarded-for": address,
  });
  const body = JSON.parse(text) as { data?: HoldSeatsMutation; errors?: unknown[] };
  if (status !== 200 || body.errors || !body.data) throw new Error(`holdSeats failed: ${status} ${text}`);
  return body.data.holdSeats;
}

/**
 * Makes a booking `seconds` older, as if that much time had passed since it was made (and since it was last
 * changed or released): its creation, last change and expiry, and its seats' hold expiry, all move back.
 */
export async function ageBooking(prisma: PrismaClient, bookingId: string, seconds: number): Promise<void> {
  await prisma.$transaction([
    prisma.$executeRaw`UPDATE bookings SET created_at = created_at - ${seconds}::int * interval '1 second',
                         updated_at = updated_at - ${seconds}::int * interval '1 second',
                         expires_at = expires_at - ${seconds}::int * interval '1 second'
                       WHERE id = ${databaseId(bookingId)}::uuid`,
    prisma.$executeRaw`UPDATE seats SET hold_expires_at = hold_expires_at - ${seconds}::int * interval '1 second'
                       WHERE booking_id = ${databaseId(bookingId)}::uuid AND status = 'held'`,
  ]);
}

/** Moves a show's start time to a second ago, in the database only (the API's show cache keeps the old time). */
export async function startShowNow(prisma: PrismaClient, showId: string): Promise<void> {
  await prisma.$executeRaw`UPDATE shows SET starts_at = now() - interval '1 second' WHERE id = ${databaseId(showId)}::uuid`;
}
