import WebSocket from "ws";

export interface RawGraphQLSocket {
  readonly socket: WebSocket;
  /** Resolves with the close code once the socket is closed (by either side). */
  readonly closed: Promise<number>;
  /** Sends a `subscribe` message; the protocol has no answer to it, so the caller decides how to await the effect. */
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
  /** Stops reading from (or resumes reading) the TCP socket underneath, as a stalled client would. */
  pauseReading(): void;
  resumeReading(): void;
}

/**
 * A graphql-ws (graphql-transport-ws) client speaking the protocol by hand, for tests that need what a library
 * client hides: a client that stops reading, or the exact close code. Resolves once the server acknowledged the
 * connection. `url` is the HTTP endpoint; http is turned into ws.
 */
export async function openRawGraphQLSocket(url: string): Promise<RawGraphQLSocket> {
  const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  socket.send(JSON.stringify({ type: "connection_init" }));
  await new Promise((resolve) => socket.once("message", resolve)); // connection_ack
  // ws keeps its net.Socket private; pausing it is the only way to stop reading without closing.
  const tcp = () => (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return {
    socket,
    closed,
    subscribe(id, query, variables = {}) {
      socket.send(JSON.stringify({ id, type: "subscribe", payload: { query, variables } }));
    },
    pauseReading: () => tcp().pause(),
    resumeReading: () => tcp().resume(),
  };
}
