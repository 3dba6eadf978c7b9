import { type Server } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

/** How long a connection with no request under way may stay open once draining starts, in case one is arriving. */
const IDLE_SETTLE_MS = 250;

export interface HttpDrain {
  /**
   * Stops accepting connections, lets every request under way finish (answered with `Connection: close`), ends
   * connections that stay idle, and resolves once all are closed; after `graceMs` the rest are destroyed.
   * Upgraded (WebSocket) connections are not touched: their server closes them.
   */
  drain(graceMs: number): Promise<void>;
}

/**
 * A drain that does not reset requests the process has not read yet. `http.Server.close()` destroys every
 * connection with no request in progress, including one whose request is still in the socket's receive buffer
 * because the event loop was busy; that client sees a reset instead of an answer. Here an idle connection is only
 * ended after it stayed idle for a moment, and a request that arrives meanwhile is served.
 */
export function trackHttpConnections(server: Server): HttpDrain {
  const activeRequests = new Map<Socket, number>();
  let draining = false;

  server.on("connection", (socket: Socket) => {
    activeRequests.set(socket, 0);
    socket.once("close", () => activeRequests.delete(socket));
  });
  server.on("upgrade", (req: { socket: Socket }) => activeRequests.delete(req.socket));
  server.on("request", (req: { socket: Socket }, res) => {
    const socket = req.socket;
    activeRequests.set(socket, (activeRequests.get(socket) ?? 0) + 1);
    if (draining) res.shouldKeepAlive = false;
    res.once("close", () => {
      const left = (activeRequests.get(socket) ?? 1) - 1;
      if (activeRequests.has(socket)) activeRequests.set(socket, left);
    });
  });

  const endIdle = (socket: Socket) => {
    if (activeRequests.get(socket) === 0) socket.end();
  };

  return {
    async drain(graceMs) {
      if (draining) return;
      draining = true;
      // net.Server's close only stops listening; http.Server's would also destroy the idle connections at once.
      NetServer.prototype.close.call(server);
      let allClosed = () => {};
      const closed = new Promise<void>((resolve) => (allClosed = resolve));
      const closeIfDone = () => activeRequests.size === 0 && allClosed();
      activeRequests.forEach((_, socket) => socket.once("close", () => setImmediate(closeIfDone)));
      closeIfDone();
      // Connections that finish their request from now on close after the answer (keep-alive off above); the sweep
      // ends those that stayed idle since the previous one.
      const sweep = setInterval(() => activeRequests.forEach((_, socket) => endIdle(socket)), IDLE_SETTLE_MS);
      const hardStop = setTimeout(() => activeRequests.forEach((_, socket) => socket.destroy()), graceMs);
      try {
        await closed;
      } finally {
        clearInterval(sweep);
        clearTimeout(hardStop);
      }
    },
  };
}
