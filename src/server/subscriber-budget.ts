import { type WebSocket } from "ws";
import { type Logger } from "../platform/logger.js";
import { type Conflation, eagerQueue, type QueueBudget } from "../realtime/bounded-queue.js";
import { seatResultConflation } from "../seats/seat-change-conflation.js";

/**
 * Close code for a subscriber that does not read its events fast enough: 1013 "try again later", which graphql-ws
 * clients treat as retryable (they reconnect and resync by version).
 */
export const SLOW_SUBSCRIBER_CLOSE_CODE = 1013;

/**
 * One event budget per WebSocket connection: a stalled or slow subscriber must not make the server queue its events
 * without bound. Slowness is judged by the socket's own backlog (bufferedAmount), never by events that wait only
 * because this process is busy: once more than `limit` bytes wait behind a socket that still holds unsent bytes, the
 * connection is closed (and cut off if the client does not even read the close frame); the client reconnects and
 * resyncs by version.
 */
function subscriberBudget(socket: WebSocket, limit: number, logger: Logger): QueueBudget {
  return {
    limitBytes: limit,
    queuedBytes: 0,
    transportBytes: () => socket.bufferedAmount,
    overflow: () => {
      if (socket.readyState !== socket.OPEN) return;
      logger.warn("closing a WebSocket whose client does not keep up with its events", {
        limit,
        unsentBytes: socket.bufferedAmount,
      });
      socket.close(SLOW_SUBSCRIBER_CLOSE_CODE, "Subscriber too slow: too many unsent events");
      setTimeout(() => socket.terminate(), 1000).unref();
    },
  };
}

const budgets = new WeakMap<WebSocket, QueueBudget>();

/**
 * A subscription's results as the socket's client may receive them: taken from `results` as they come and kept,
 * within the connection's one budget (shared by all its subscriptions), until graphql-ws sends them. While they wait,
 * a seat's newer change replaces its older one (see seatResultConflation), so a slow but healthy client's backlog is
 * bounded by the show's size rather than by the rate of changes.
 */
export function boundedForSocket<T>(
  results: AsyncIterator<T>,
  socket: WebSocket,
  limit: number,
  logger: Logger,
): AsyncIterableIterator<T> {
  let budget = budgets.get(socket);
  if (!budget) budgets.set(socket, (budget = subscriberBudget(socket, limit, logger)));
  // Results are ExecutionResults (graphql's subscribe()); anything else simply never conflates.
  const conflation = seatResultConflation as Conflation<unknown> as Conflation<T>;
  return eagerQueue(results, { budget, conflation });
}
