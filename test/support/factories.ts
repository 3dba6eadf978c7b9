import { randomUUID } from "node:crypto";
import { CreateShowDocument, HoldSeatsDocument, type HoldSeatsInput } from "../__generated__/graphql";
import { type TestApp } from "./test-app";

let counter = 0;

/** Creates a show through the API as an admin; starts tomorrow unless told otherwise. */
export async function createShow(
  t: TestApp,
  layout: { rows?: number; seatsPerRow?: number; startsAt?: Date; name?: string } = {},
) {
  const data = await t.ok(
    CreateShowDocument,
    {
      input: {
        name: layout.name ?? `Show ${++counter} ${randomUUID().slice(0, 8)}`,
        startsAt: (layout.startsAt ?? new Date(Date.now() + 86_400_000)).toISOString(),
        rows: layout.rows ?? 5,
        seatsPerRow: layout.seatsPerRow ?? 10,
      },
    },
    { as: "admin", role: "admin" },
  );
  expect(data.createShow.userErrors).toEqual([]);
  return data.createShow.show!;
}

/** holdSeats as `user`, returning the payload. */
export async function hold(t: TestApp, user: string, input: HoldSeatsInput) {
  return (await t.ok(HoldSeatsDocument, { input }, { as: user })).holdSeats;
}

export const uniqueUser = (prefix = "user") => `${prefix}-${randomUUID().slice(0, 8)}`;
