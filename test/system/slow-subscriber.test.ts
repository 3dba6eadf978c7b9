import WebSocket from "ws";
import { createShow } from "../support/factories";
import { SeatStatus, SLOW_SUBSCRIBER_CLOSE_CODE } from "../support/from-src";
import { openRawGraphQLSocket, type RawGraphQLSocket } from "../support/raw-ws";
import { startTestApp, type TestApp } from "../support/test-app";
import { sleep, waitUntil } from "../support/time";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ WS_MAX_BUFFERED_BYTES: "65536" });
});
afterAll(() => t.stop());

const SEAT_MAP_CHANGED =
  "subscription ($id: ID!) { seatMapChanged(showId: $id) { version seats { seatNumber status version } } }";

/** A hand-driven subscriber (so the test can stop reading), returned once the server has registered it. */
async function rawSubscriber(showId: string): Promise<RawGraphQLSocket> {
  const before = t.app.container.seatEvents.activeSubscriptions();
  const subscriber = await openRawGraphQLSocket(t.app.address);
  subscriber.subscribe("1", SEAT_MAP_CHANGED, { id: showId });
  await waitUntil(() => t.app.container.seatEvents.activeSubscriptions() > before, { message: "the subscription" });
  return subscriber;
}

describe("a subscriber that stops reading", () => {
  it("is disconnected once its unsent events pass WS_MAX_BUFFERED_BYTES, and healthy subscribers carry on", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 1 });
    const stalled = await rawSubscriber(show.id);
    const healthy = await rawSubscriber(show.id);
    let healthyEvents = 0;
    healthy.socket.on("message", () => healthyEvents++);
    // Stop reading: the kernel buffers fill, then the server's own buffer for this socket grows.
    stalled.pauseReading();
    expect(t.app.webSocketConnections()).toBe(2);

    // Large events (thousands of seats each) fill the buffers quickly.
    const seats = Array.from({ length: 4000 }, (_, i) => ({
      seatNumber: `S${i}`,
      status: SeatStatus.HELD,
      version: String(i + 1),
    }));
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 120 && t.app.webSocketConnections() > 1; i++) {
      t.app.container.seatEvents.publish([{ showId: show.id, version: "4000", seats }]);
      await t.app.container.seatEvents.drain();
      await sleep(5);
    }
    const deadline = Date.now() + 5000;
    while (t.app.webSocketConnections() > 1 && Date.now() < deadline) await sleep(50);
    expect(t.app.webSocketConnections()).toBe(1);
    // The server kept its buffering bounded instead of queueing every event for the stalled socket.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);

    stalled.resumeReading();
    expect([SLOW_SUBSCRIBER_CLOSE_CODE, 1006]).toContain(await stalled.closed);
    expect(healthyEvents).toBeGreaterThan(0);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    healthy.socket.close();
    await healthy.closed;
  });
});
