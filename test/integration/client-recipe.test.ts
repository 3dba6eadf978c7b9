import WebSocket from "ws";
import * as apollo from "../../examples/clients/apollo";
import {
  ConfirmBookingDocument,
  type HoldSeatsInput,
  HoldSeatsDocument,
  MyBookingsDocument,
  SeatMapChangedDocument,
  type SeatMapChangedSubscription,
  SmallSeatMapDocument,
} from "../../examples/clients/gql/graphql";
import { CompactSeatMap, openLiveSeatMap, type SeatMapSource } from "../../examples/clients/live-seat-map";
import * as urql from "../../examples/clients/urql";
import { seatBookingGraphcache } from "../../examples/clients/urql-graphcache";
import { createShow, hold, uniqueUser } from "../support/factories";
import { startTestApp, type TestApp } from "../support/test-app";
import { waitUntil } from "../support/time";

type SeatMapChange = SeatMapChangedSubscription["seatMapChanged"];
type HoldPayload = Awaited<ReturnType<typeof apollo.holdSeats>>;
type BookingPayload = Awaited<ReturnType<typeof apollo.confirmBooking>>;

/** Mutations per user per window: low, so that a test can reach the limit (every user below makes at most three). */
const USER_POINTS = 3;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_USER_POINTS: String(USER_POINTS), RATE_LIMIT_USER_WINDOW_SECONDS: "600" });
});
afterAll(() => t?.stop());

/** What a request looked like on the wire, and how the server's seat-map cache answered it. */
interface Sent {
  readonly method: string;
  readonly hashOnly: boolean;
  readonly cache: string | null;
}

/** A signed-in client of one library, as the examples build it, with the token it holds and what it sent. */
interface Buyer {
  readonly token: { value: string | undefined };
  readonly unauthenticated: number[];
  readonly rateLimited: number[];
  readonly sent: Sent[];
  readonly source: SeatMapSource;
  listShows(pageSize: number, search: string): Promise<{ id: string }[]>;
  hold(input: HoldSeatsInput): Promise<HoldPayload>;
  confirm(id: string): Promise<BookingPayload>;
  /** The buyer's bookings as the client holds them now (Apollo: its cache; urql: its document cache). */
  myBookings(): Promise<{ totalCount: number; edges: { node: { id: string } }[] }>;
  close(): void;
}

function clientOptions(token: string | undefined) {
  const state = { token: { value: token }, unauthenticated: [] as number[], rateLimited: [] as number[] };
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    const text = `${url} ${typeof init?.body === "string" ? init.body : ""}`;
    sent.push({
      method: init?.method ?? "GET",
      hashOnly: text.includes("persistedQuery") && !/query=|"query"/.test(text),
      cache: response.headers.get("x-seat-map-cache"),
    });
    return response;
  };
  const options: apollo.ClientOptions = {
    httpUrl: t.app.address,
    wsUrl: t.app.address.replace(/^http/, "ws"),
    getToken: () => state.token.value,
    onUnauthenticated: () => {
      state.unauthenticated.push(Date.now());
      state.token.value = undefined;
    },
    onRateLimited: (retryAfter) => state.rateLimited.push(retryAfter),
    webSocketImpl: WebSocket,
    fetch: recordingFetch,
  };
  return { ...state, sent, options };
}

const clients: Record<string, (token?: string) => Buyer> = {
  "Apollo Client 4": (token) => {
    const { options, ...state } = clientOptions(token);
    const { client, wsClient } = apollo.createApolloClient({ ...options, persistedQueries: true });
    // A mounted "my bookings" list: an active query, which `refetchQueries: ["MyBookings"]` refreshes.
    const variables = { first: 20 };
    const watched = client.watchQuery({ query: MyBookingsDocument, variables }).subscribe(() => {});
    return {
      ...state,
      source: apollo.apolloSeatMapSource(client, wsClient),
      listShows: async (pageSize, search) =>
        (await apollo.loadAllShows(client, pageSize, search)).edges.map((edge) => edge.node),
      hold: (input) => apollo.holdSeats(client, input),
      confirm: (id) => apollo.confirmBooking(client, id),
      async myBookings() {
        await waitUntil(() => client.readQuery({ query: MyBookingsDocument, variables }) !== null);
        return client.readQuery({ query: MyBookingsDocument, variables })!.myBookings;
      },
      close() {
        watched.unsubscribe();
        client.stop();
        void wsClient.dispose();
      },
    };
  },
  urql: (token) => {
    const { options, ...state } = clientOptions(token);
    const { client, wsClient } = urql.createUrqlClient(options);
    return {
      ...state,
      source: urql.urqlSeatMapSource(client, wsClient),
      listShows: (pageSize, search) => urql.loadAllShows(client, pageSize, search),
      hold: (input) => urql.holdSeats(client, input),
      confirm: (id) => urql.confirmBooking(client, id),
      myBookings: () => urql.myBookings(client),
      close: () => void wsClient.dispose(),
    };
  },
};

const newShow = (rows: number, seatsPerRow: number, name?: string) =>
  createShow(t, { rows, seatsPerRow, name, createdBy: uniqueUser("admin") });

/**
 * graphql-ws does not say when the server has registered a subscription: hold a seat as a new user each time until an
 * event arrives (`seats`, in order, are the seats the probes may take).
 */
async function untilLive(showId: string, events: unknown[], seats: string[]) {
  await waitUntil(
    async () => {
      if (events.length > 0) return true;
      await hold(t, uniqueUser("probe"), { showId, seats: { seatNumbers: [seats.shift()!] } });
      return false;
    },
    { intervalMs: 200, timeoutMs: 15_000, message: "the subscription to deliver an event" },
  );
}

const statusesOf = (map: CompactSeatMap) => map.seatNumbers.map((seatNumber) => map.statusOf(seatNumber));

describe.each(Object.keys(clients))("%s, as the recipe sets it up", (name) => {
  const connect = clients[name]!;
  const open: Buyer[] = [];
  const buyer = (token?: string) => {
    const created = connect(token);
    open.push(created);
    return created;
  };
  afterEach(() => open.splice(0).forEach((client) => client.close()));

  test("lists shows page by page", async () => {
    const word = `Recipe${Date.now()}${name.length}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await newShow(1, 1, `${word} ${i}`));
    const shows = await buyer().listShows(2, word);
    expect(shows.map((show) => show.id).sort()).toEqual(created.map((show) => show.id).sort());
  });

  test("keeps a compact seat map converged by the version rule while others hold, confirm, and events come late", async () => {
    const show = await newShow(3, 10);
    const viewer = buyer(t.token(uniqueUser("viewer")));
    const other = buyer(t.token(uniqueUser("other")));
    const firstLayout = await viewer.source.layout(show.id);
    const firstAvailability = await viewer.source.availability(show.id);
    const events: SeatMapChange[] = [];
    const errors: unknown[] = [];
    const counting: SeatMapSource = {
      ...viewer.source,
      subscribe: (showId, onChange, onError) =>
        viewer.source.subscribe(showId, (change) => (events.push(change), onChange(change)), onError),
    };
    const live = await openLiveSeatMap(counting, show.id, (error) => errors.push(error));
    try {
      expect(live.map.seatNumbers).toHaveLength(30);
      expect(live.map.statusOf("A1")).toBe("AVAILABLE");
      await untilLive(show.id, events, ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10"]);

      const held = await other.hold({ showId: show.id, seats: { seatNumbers: ["A1", "A2"] } });
      expect(held.userErrors).toEqual([]);
      await waitUntil(() => live.map.statusOf("A1") === "HELD" && live.map.statusOf("A2") === "HELD", {
        message: "A1 and A2 held in the viewer's map",
      });
      const heldEvent = events.find((change) => change.seats.some((seat) => seat.seatNumber === "A1"));
      expect(heldEvent?.seats.map((seat) => seat.status)).toEqual(["HELD", "HELD"]);

      const confirmed = await other.confirm(held.booking!.id);
      expect(confirmed.booking?.status).toBe("CONFIRMED");
      await waitUntil(() => live.map.statusOf("A1") === "BOOKED", { message: "A1 booked in the viewer's map" });
      // The hold's event again (redelivered, or overtaken by the confirmation): its versions are lower, so ignored.
      live.map.applyLive(heldEvent!.seats, heldEvent);
      live.map.applyGap(heldEvent!.seats);
      expect([live.map.statusOf("A1"), live.map.statusOf("A2")]).toEqual(["BOOKED", "BOOKED"]);

      // The viewer buys: typed mutations, the payload's seats applied at once, the bookings list refreshed.
      expect((await viewer.myBookings()).totalCount).toBe(0);
      const mine = await viewer.hold({ showId: show.id, seats: { seatNumbers: ["B5"] } });
      expect(mine.userErrors).toEqual([]);
      live.map.applyLive(mine.booking!.seats);
      expect(live.map.statusOf("B5")).toBe("HELD");
      const bookings = await viewer.myBookings();
      expect(bookings.totalCount).toBe(1);
      expect(bookings.edges.map((edge) => edge.node.id)).toEqual([mine.booking!.id]);
      expect((await viewer.confirm(mine.booking!.id)).booking?.status).toBe("CONFIRMED");
      await waitUntil(() => live.map.statusOf("B5") === "BOOKED", { message: "B5 booked in the viewer's map" });

      // The server's own map now, and a client that loaded the first snapshot and only filled the gap: all agree.
      const truth = new CompactSeatMap(firstLayout, await viewer.source.availability(show.id));
      const resumed = new CompactSeatMap(firstLayout, firstAvailability);
      resumed.applyGap(await viewer.source.changesSince(show.id, resumed.seatMapVersion));
      expect(statusesOf(live.map)).toEqual(statusesOf(truth));
      expect(statusesOf(resumed)).toEqual(statusesOf(truth));
      expect(errors).toEqual([]);
    } finally {
      live.close();
    }
  });

  test("reads of a show go through the server's seat-map cache", async () => {
    const show = await newShow(2, 5);
    const client = buyer();
    await client.source.availability(show.id);
    await client.source.availability(show.id);
    const last = client.sent.at(-1)!;
    expect({ method: last.method, cache: last.cache }).toEqual({ method: "GET", cache: "hit" });
    if (name.startsWith("Apollo")) expect(last.hashOnly).toBe(true); // automatic persisted query: the hash alone
  });

  test("drops a token the server refuses, so public reads work again", async () => {
    const client = buyer("not-a-token");
    await expect(client.listShows(5, "anything")).rejects.toThrow(/Authentication failed/);
    expect(client.unauthenticated.length).toBeGreaterThan(0); // every request that carried it (Apollo: the watched list too)
    expect(client.token.value).toBeUndefined();
    await expect(client.listShows(5, "anything")).resolves.toEqual([]);
  });

  test("reports RATE_LIMITED with the seconds to wait", async () => {
    const show = await newShow(1, USER_POINTS + 1);
    const client = buyer(t.token(uniqueUser("eager")));
    for (let seat = 1; seat <= USER_POINTS; seat++) {
      expect((await client.hold({ showId: show.id, seats: { seatNumbers: [`A${seat}`] } })).userErrors).toEqual([]);
    }
    await expect(client.hold({ showId: show.id, seats: { seatNumbers: [`A${USER_POINTS + 1}`] } })).rejects.toThrow();
    expect(client.rateLimited).toHaveLength(1);
    expect(client.rateLimited[0]).toBeGreaterThan(0);
  });
});

test("Apollo Client 4: a small hall's seats, normalised as Seat:<id>, take events by the version rule", async () => {
  const show = await newShow(2, 5);
  const { options } = clientOptions(undefined);
  const { client, wsClient } = apollo.createApolloClient(options);
  const events: SeatMapChange[] = [];
  const subscription = client
    .subscribe({ query: SeatMapChangedDocument, variables: { showId: show.id }, fetchPolicy: "no-cache" })
    .subscribe(({ data }) => {
      if (!data) return;
      events.push(data.seatMapChanged);
      apollo.applySeatMapChange(client, data.seatMapChanged);
    });
  const seatsInCache = () => {
    const cached = client.readQuery({ query: SmallSeatMapDocument, variables: { id: show.id } })!.show!;
    const statuses = Object.fromEntries(cached.seats.map((seat) => [seat.seatNumber, seat.status]));
    return { A1: statuses.A1, held: cached.heldSeats };
  };
  try {
    await client.query({ query: SmallSeatMapDocument, variables: { id: show.id } });
    await untilLive(show.id, events, ["B1", "B2", "B3", "B4", "B5"]);
    const other = t.token(uniqueUser("other"));
    const held = await t.ok(
      HoldSeatsDocument,
      { input: { showId: show.id, seats: { seatNumbers: ["A1"] } } },
      { token: other },
    );
    await waitUntil(() => seatsInCache().A1 === "HELD", { message: "A1 held in the cache" });
    const heldEvent = events.at(-1)!;
    expect(seatsInCache().held).toBe(heldEvent.heldSeats);
    await t.ok(ConfirmBookingDocument, { input: { bookingId: held.holdSeats.booking!.id } }, { token: other });
    await waitUntil(() => seatsInCache().A1 === "BOOKED", { message: "A1 booked in the cache" });
    const now = seatsInCache();
    apollo.applySeatMapChange(client, heldEvent); // late: lower versions, so neither its seats nor its counts apply
    expect(seatsInCache()).toEqual(now);
    expect(now.A1).toBe("BOOKED");
  } finally {
    subscription.unsubscribe();
    client.stop();
    await wsClient.dispose();
  }
});

test("urql with Graphcache: a small hall's seats take events by the version rule, and a hold refreshes myBookings", async () => {
  const show = await newShow(2, 5);
  const { options } = clientOptions(t.token(uniqueUser("viewer")));
  const { client, wsClient } = urql.createUrqlClient(options, seatBookingGraphcache());
  const events: SeatMapChange[] = [];
  const subscription = client
    .subscription(SeatMapChangedDocument, { showId: show.id })
    .subscribe(({ data }) => data && events.push(data.seatMapChanged));
  const seatsInCache = () => {
    const cached = client.readQuery(SmallSeatMapDocument, { id: show.id })!.data!.show!;
    const statuses = Object.fromEntries(cached.seats.map((seat) => [seat.seatNumber, seat.status]));
    return { A1: statuses.A1, held: cached.heldSeats };
  };
  try {
    await client.query(SmallSeatMapDocument, { id: show.id }).toPromise();
    await untilLive(show.id, events, ["B1", "B2", "B3", "B4", "B5"]);
    const other = t.token(uniqueUser("other"));
    const held = await t.ok(
      HoldSeatsDocument,
      { input: { showId: show.id, seats: { seatNumbers: ["A1"] } } },
      { token: other },
    );
    await waitUntil(() => seatsInCache().A1 === "HELD", { message: "A1 held in the cache" });
    expect(seatsInCache().held).toBe(events.at(-1)!.heldSeats);
    await t.ok(ConfirmBookingDocument, { input: { bookingId: held.holdSeats.booking!.id } }, { token: other });
    await waitUntil(() => seatsInCache().A1 === "BOOKED", { message: "A1 booked in the cache" });

    expect((await urql.myBookings(client)).totalCount).toBe(0);
    expect((await urql.holdSeats(client, { showId: show.id, seats: { seatNumbers: ["A2"] } })).userErrors).toEqual([]);
    expect((await urql.myBookings(client)).totalCount).toBe(1);
  } finally {
    subscription.unsubscribe();
    await wsClient.dispose();
  }
});
