import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  AuditLogDocument,
  BlockSeatsDocument,
  CancelShowDocument,
  ChangeSeatsDocument,
  ConfirmBookingDocument,
  RefundBookingDocument,
  SearchBookingsDocument,
  SeatHistoryDocument,
  ShowBookingsDocument,
  ShowReportDocument,
  UnblockSeatsDocument,
  UpdateShowDocument,
} from "../../__generated__/graphql";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";

/*
 * Who may do what in the box office, on every new operation: anonymous callers are UNAUTHENTICATED, signed-in users
 * FORBIDDEN (admin-only operations, or a booking of someone else's), an owner only what the show's policy allows,
 * and admins everything. Each row runs against a fresh show, with a confirmed booking of its owner.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_USER_POINTS: "0" });
});
afterAll(() => t.stop());

interface Fixture {
  readonly showId: string;
  readonly bookingId: string;
}

type Who = "anonymous" | "user" | "owner" | "admin";
/** What a caller gets: a top-level error code, a userError code (data answered), or "ok" (data, no userErrors). */
type Expected = "UNAUTHENTICATED" | "FORBIDDEN" | `user-error ${string}` | "ok";

interface Row {
  readonly operation: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly document: TypedDocumentNode<any, any>;
  readonly variables: (fixture: Fixture) => Record<string, unknown>;
  readonly expected: Record<Who, Expected>;
}

const ADMIN_ONLY = { anonymous: "UNAUTHENTICATED", user: "FORBIDDEN", owner: "FORBIDDEN", admin: "ok" } as const;

const ROWS: Row[] = [
  {
    operation: "updateShow",
    document: UpdateShowDocument,
    variables: ({ showId }) => ({ input: { id: showId, name: "Renamed" } }),
    expected: ADMIN_ONLY,
  },
  {
    operation: "cancelShow",
    document: CancelShowDocument,
    variables: ({ showId }) => ({ input: { id: showId, reason: "Storm" } }),
    expected: ADMIN_ONLY,
  },
  {
    operation: "blockSeats",
    document: BlockSeatsDocument,
    variables: ({ showId }) => ({ input: { showId, seatNumbers: ["B1"], reason: "House seat" } }),
    expected: ADMIN_ONLY,
  },
  {
    operation: "unblockSeats",
    document: UnblockSeatsDocument,
    // Not blocked: an admin is told so (the rights are checked before the seats).
    variables: ({ showId }) => ({ input: { showId, seatNumbers: ["B1"] } }),
    expected: { ...ADMIN_ONLY, admin: "user-error INVALID_STATE" },
  },
  {
    operation: "refundBooking",
    document: RefundBookingDocument,
    variables: ({ bookingId }) => ({ input: { bookingId } }),
    // The show's policy leaves refunds to the box office by default.
    expected: { anonymous: "UNAUTHENTICATED", user: "FORBIDDEN", owner: "user-error NOT_ALLOWED", admin: "ok" },
  },
  {
    operation: "changeSeats",
    document: ChangeSeatsDocument,
    variables: ({ bookingId }) => ({
      input: { bookingId, release: ["A1"], take: ["A2"], idempotencyKey: `move-${bookingId}` },
    }),
    expected: ADMIN_ONLY,
  },
  {
    operation: "Show.bookings",
    document: ShowBookingsDocument,
    variables: ({ showId }) => ({ id: showId }),
    expected: ADMIN_ONLY,
  },
  {
    operation: "bookings",
    document: SearchBookingsDocument,
    variables: ({ showId }) => ({ showId }),
    expected: ADMIN_ONLY,
  },
  {
    operation: "showReport",
    document: ShowReportDocument,
    variables: ({ showId }) => ({ showId }),
    expected: ADMIN_ONLY,
  },
  {
    operation: "seatHistory",
    document: SeatHistoryDocument,
    variables: ({ showId }) => ({ showId, seatNumber: "A1" }),
    expected: ADMIN_ONLY,
  },
  { operation: "auditLog", document: AuditLogDocument, variables: () => ({}), expected: ADMIN_ONLY },
];

/** A show with one confirmed booking (seat A1) of `owner`. */
async function fixture(owner: string): Promise<Fixture> {
  const show = await createShow(t, { rows: 2, seatsPerRow: 4, createdBy: uniqueUser("admin") });
  const held = await hold(t, owner, { showId: show.id, seatNumbers: ["A1"] });
  await t.ok(ConfirmBookingDocument, { id: held.booking!.id }, { as: owner });
  return { showId: show.id, bookingId: held.booking!.id };
}

/** What the caller got, in the terms of Expected. */
function outcome(response: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }): string {
  const code = response.errors?.[0]?.extensions?.code;
  if (code !== undefined) return String(code);
  const payload = Object.values(response.data as Record<string, unknown>)[0] as Record<string, unknown> | null;
  const userErrors = (payload?.userErrors ?? []) as { code: string }[];
  return userErrors.length > 0 ? `user-error ${userErrors.map((e) => e.code).join(",")}` : "ok";
}

describe("the box office's auth matrix", () => {
  it.each(ROWS.map((row) => [row.operation, row] as const))("%s", async (_, row) => {
    const owner = uniqueUser("owner");
    const callers: Record<Who, { as?: string; role?: "admin" } | undefined> = {
      anonymous: undefined,
      user: { as: uniqueUser() },
      owner: { as: owner },
      admin: { as: uniqueUser("admin"), role: "admin" },
    };
    const seen: Record<string, string> = {};
    // The admin goes last: its change (a cancellation, a refund) must not decide what the others are told.
    for (const who of ["anonymous", "user", "owner", "admin"] as const) {
      const { showId, bookingId } = await fixture(owner);
      seen[who] = outcome(await t.request(row.document, row.variables({ showId, bookingId }), callers[who]));
    }
    expect(seen).toEqual(row.expected);
  });

  it("lets an owner refund their own confirmed booking when the show allows it, and nobody else's", async () => {
    const owner = uniqueUser("owner");
    const { showId, bookingId } = await fixture(owner);
    const admin = { as: uniqueUser("admin"), role: "admin" as const };
    expect(
      (await t.ok(UpdateShowDocument, { input: { id: showId, ownerRefunds: true } }, admin)).updateShow.userErrors,
    ).toEqual([]);
    const input = { input: { bookingId } };
    expect(outcome(await t.request(RefundBookingDocument, input, { as: uniqueUser() }))).toBe("FORBIDDEN");
    expect(outcome(await t.request(RefundBookingDocument, input, { as: owner }))).toBe("ok");
    // Refunded: there is nothing left to refund.
    expect(outcome(await t.request(RefundBookingDocument, input, { as: owner }))).toBe("user-error INVALID_STATE");
  });
});
