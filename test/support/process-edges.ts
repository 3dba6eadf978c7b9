import { connect, type Socket } from "node:net";

/** Opens a TCP connection to the API's host and port; resolves once connected. */
export function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Resolves when the server closes (or resets) `socket`, with what it sent before. */
export function closedByServer(socket: Socket): Promise<string> {
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => {});
  return new Promise((resolve) => socket.once("close", () => resolve(received)));
}

/**
 * A slow-loris client: request headers announcing a body, then the body one byte per `everyMs`, until the server
 * closes the connection. Resolves with how long the server held it and what it answered.
 */
export async function slowLoris(url: string, everyMs = 1000): Promise<{ heldMs: number; answer: string }> {
  const socket = await openSocket(url);
  const started = Date.now();
  const closed = closedByServer(socket);
  const { host, pathname } = new URL(url);
  socket.write(
    `POST ${pathname} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`,
  );
  const drip = setInterval(() => {
    if (!socket.destroyed) socket.write("{");
  }, everyMs);
  try {
    const answer = await closed;
    return { heldMs: Date.now() - started, answer };
  } finally {
    clearInterval(drip);
    socket.destroy();
  }
}
