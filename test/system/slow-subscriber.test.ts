import WebSocket from "ws";
import { SLOW_SUBSCRIBER_CLOSE_CODE } from "../../src/app";
import { createShow } from "../support/factories";
import { startTestApp, type TestApp } from "../support/test-app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ WS_MAX_BUFFERED_BYTES: "65536" });
});
afterAll(() => t.stop());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A graphql-ws client speaking the protocol by hand, so the test can stop reading from its socket. */
async function rawSubscriber(showId: string): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  const socket = new WebSocket(t.app.address.replace("http", "ws"), "graphql-transport-ws");
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  await new Promise((resolve) => socket.once("open", resolve));
  socket.send(JSON.stringify({ type: "connection_init" }));
  await new Promise((resolve) => socket.once("message", resolve));
  socket.send(
    JSON.stringify({
      id: "1",
      type: "subscribe",
      payload: { query: "subscription ($id: ID!) { seatMapChanged(showId: $id) { version seats { seatNumber status version } } }", variables: { id: showId } },
    }),
  );
  await sleep(100);
  return { socket, closed };
}

describe("a subscriber that stops reading", () => {
  it("is disconnected once its unsent events pass WS_MAX_BUFFERED_BYTES, and healthy subscribers carry on", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 1 });
    const stalled = await rawSubscriber(show.id);
    const healthy = await rawSubscriber(show.id);
    let healthyEvents = 0;
    healthy.socket.on("message", () => healthyEvents++);
    // Stop reading: the kernel buffers fill, then the server's own buffer for this socket grows.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(t.app.webSocketConnections()).toBe(2);

    // Large events (thousands of seats each) fill the buffers quickly.
    const seats = Array.from({ length: 4000 }, (_, i) => ({ showId: show.id, seatNumber: `S${i}`, status: "held" as const, version: String(i + 1) }));
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 120 && t.app.webSocketConnections() > 1; i++) {
      t.app.container.seatEvents.published(seats);
      await t.app.container.seatEvents.drain();
      await sleep(5);
    }
    const deadline = Date.now() + 5000;
    while (t.app.webSocketConnections() > 1 && Date.now() < deadline) await sleep(50);
    expect(t.app.webSocketConnections()).toBe(1);
    // The server kept its buffering bounded instead of queueing every event for the stalled socket.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);

    (stalled.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect([SLOW_SUBSCRIBER_CLOSE_CODE, 1006]).toContain(await stalled.closed);
    expect(healthyEvents).toBeGreaterThan(0);
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    healthy.socket.close();
    await healthy.closed;
  });
});
