import WebSocket from "ws";

/** A graphql-ws message the server sent for one operation. */
export interface OperationMessage {
  readonly type: "next" | "error" | "complete";
  readonly payload?: unknown;
}

/** What the server answered to one operation: `next` payloads, and the `error` payload if it failed instead. */
export interface OperationAnswer {
  readonly results: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
  readonly errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface GraphQLSocket {
  readonly socket: WebSocket;
  /** Resolves with the close code once the socket is closed (by either side). */
  readonly closed: Promise<number>;
  /** Sends `subscribe` and resolves once the operation completed or failed (queries, mutations, refusals). */
  run(payload: { query: string; variables?: unknown; operationName?: string }): Promise<OperationAnswer>;
  /** Sends `subscribe` for a long-lived operation; resolves with its id (messages arrive in `messages`). */
  start(payload: { query: string; variables?: unknown }): string;
  /** Every message received per operation id. */
  readonly messages: Map<string, OperationMessage[]>;
  /** Waits until operation `id` got an `error` or `complete` (or fails after `timeoutMs`). */
  settled(id: string, timeoutMs?: number): Promise<OperationMessage[]>;
  close(): void;
}

/**
 * A graphql-transport-ws client by hand, for tests that need what a library client hides (raw refusals, close codes,
 * extra headers on the upgrade). Resolves once the server acknowledged the connection; rejects with the HTTP status
 * when the upgrade is refused, or with the close code when the connection is.
 */
export async function openGraphQLSocket(
  url: string,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLSocket> {
  const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws", { headers: options.headers });
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  const messages = new Map<string, OperationMessage[]>();
  const waiters = new Set<() => void>();
  socket.on("message", (raw: Buffer) => {
    const message = JSON.parse(raw.toString()) as { id?: string; type: string; payload?: unknown };
    if (!message.id) return;
    const list = messages.get(message.id) ?? [];
    list.push({ type: message.type as OperationMessage["type"], payload: message.payload });
    messages.set(message.id, list);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("unexpected-response", (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
    socket.once("error", reject);
    socket.once("close", (code) => reject(new Error(`closed: ${code}`)));
    socket.once("open", () => {
      const payload = options.token ? { Authorization: `Bearer ${options.token}` } : {};
      socket.send(JSON.stringify({ type: "connection_init", payload }));
      socket.once("message", () => resolve()); // connection_ack
    });
  });
  let next = 0;
  const start: GraphQLSocket["start"] = (payload) => {
    const id = String(++next);
    socket.send(JSON.stringify({ id, type: "subscribe", payload }));
    return id;
  };
  const settled: GraphQLSocket["settled"] = async (id, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = messages.get(id) ?? [];
      if (list.some((m) => m.type === "error" || m.type === "complete")) return list;
      if (socket.readyState !== WebSocket.OPEN) throw new Error(`socket closed before operation ${id} settled`);
      if (Date.now() > deadline) throw new Error(`operation ${id} not settled after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        setTimeout(wake, 50);
      });
    }
  };
  return {
    socket,
    closed,
    messages,
    start,
    settled,
    async run(payload) {
      const list = await settled(start(payload));
      const failure = list.find((m) => m.type === "error");
      return {
        results: list.filter((m) => m.type === "next").map((m) => m.payload as OperationAnswer["results"][number]),
        ...(failure ? { errors: failure.payload as OperationAnswer["errors"] } : {}),
      };
    },
    close: () => socket.close(),
  };
}

/** The first error code of an answer, wherever it came (a refusal or an execution error). */
export const firstCode = (answer: OperationAnswer): unknown =>
  (answer.errors ?? answer.results[0]?.errors)?.[0]?.extensions?.code;
