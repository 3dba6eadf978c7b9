import { randomUUID } from "node:crypto";
import { CreateShowDocument, HoldSeatsDocument, type HoldSeatsInput } from "../__generated__/graphql";
import { signToken } from "./from-src";
import { postGraphQL } from "./graphql";
import { type TestApp } from "./test-app";

let counter = 0;

export interface ShowLayout {
  rows?: number;
  seatsPerRow?: number;
  startsAt?: Date;
  name?: string;
  /** The admin who creates it (rate limits count per user, and a shared Redis shares the counts). */
  createdBy?: string;
}

const showInput = (layout: ShowLayout) => ({
  name: layout.name ?? `Show ${++counter} ${randomUUID().slice(0, 8)}`,
  startsAt: (layout.startsAt ?? new Date(Date.now() + 86_400_000)).toISOString(),
  rows: layout.rows ?? 5,
  seatsPerRow: layout.seatsPerRow ?? 10,
});

/** Creates a show through the API as an admin; starts tomorrow unless told otherwise. */
export async function createShow(t: TestApp, layout: ShowLayout = {}) {
  const admin = { as: layout.createdBy ?? "admin", role: "admin" as const };
  const data = await t.ok(CreateShowDocument, { input: showInput(layout) }, admin);
  expect(data.createShow.userErrors).toEqual([]);
  return data.createShow.show!;
}

/** The same for an API running as a separate process at `url`, whose JWT secret is `secret`. */
export async function createShowAt(url: string, secret: string, layout: ShowLayout = {}) {
  const admin = signToken(secret, { sub: layout.createdBy ?? "admin", role: "admin" });
  const response = await postGraphQL(url, CreateShowDocument, { input: showInput(layout) }, admin);
  expect(response.errors).toBeUndefined();
  expect(response.data!.createShow.userErrors).toEqual([]);
  return response.data!.createShow.show!;
}

/** holdSeats as `user`, returning the payload. */
export async function hold(t: TestApp, user: string, input: HoldSeatsInput) {
  return (await t.ok(HoldSeatsDocument, { input }, { as: user })).holdSeats;
}

export const uniqueUser = (prefix = "user") => `${prefix}-${randomUUID().slice(0, 8)}`;
