import { createServer, type Server, type Socket, connect } from "node:net";

/**
 * What the proxy does with connections:
 * - "forward": passes bytes both ways to the target;
 * - "refuse": closes new connections at once (as a broker that is down, but without waiting for a TCP timeout);
 * - "blackhole": accepts connections and lets no byte through either way, new ones and open ones alike (a
 *   network that silently drops packets: the client waits for its own timeouts and heartbeats);
 * - "mute": the client's bytes still reach the target, the target's answers are dropped (a broker that takes
 *   messages but whose confirms never come back).
 * Leaving "blackhole" or "mute" cuts the connections open then: they lost bytes and cannot carry on.
 */
export type ProxyMode = "forward" | "refuse" | "blackhole" | "mute";

export interface TcpProxy {
  readonly port: number;
  /** The target's URL with the proxy's port instead: `amqp://guest:guest@127.0.0.1:<proxy port>`. */
  readonly url: string;
  mode(mode: ProxyMode): void;
  /** Closes every connection open now (a cut cable); new ones follow the mode. */
  cut(): void;
  /** How many client connections it has accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  upstream?: Socket;
}

/** A TCP proxy on a free local port in front of `targetUrl`'s host and port (a real network path that tests break). */
export async function startTcpProxy(targetUrl: string, initial: ProxyMode = "forward"): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 5672);
  let current = initial;
  let acceptedCount = 0;
  const pairs = new Set<Pair>();

  const server: Server = createServer((client) => {
    acceptedCount += 1;
    client.on("error", () => undefined);
    if (current === "refuse") {
      client.destroy();
      return;
    }
    const pair: Pair = { client };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on("close", drop);
    // Bytes are copied by hand, not piped: "blackhole" must stop them in connections already open.
    client.on("data", (chunk: Buffer) => {
      if ((current === "forward" || current === "mute") && pair.upstream) pair.upstream.write(chunk);
    });
    if (current === "blackhole") return; // never connected upstream: the client's handshake waits for ever
    const upstream = connect(targetPort, target.hostname);
    pair.upstream = upstream;
    upstream.on("error", drop);
    upstream.on("close", drop);
    upstream.on("data", (chunk: Buffer) => {
      if (current === "forward") client.write(chunk);
    });
    // Bytes the client sent before the upstream connected are buffered by the socket until then.
    client.pause();
    upstream.on("connect", () => client.resume());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  const cut = () => {
    for (const pair of [...pairs]) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    pairs.clear();
  };
  return {
    port,
    url: url.toString(),
    mode(mode) {
      if ((current === "blackhole" || current === "mute") && mode !== current) cut();
      current = mode;
    },
    cut,
    accepted: () => acceptedCount,
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
