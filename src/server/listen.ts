import { type Server } from "node:http";
import { type AddressInfo } from "node:net";

/** Starts listening and resolves with the port (the one picked when `port` is 0). */
export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * The host of the listening interface as people write it (localhost for every interface) and as a client on this
 * machine connects to it (127.0.0.1 or [::1] for every interface).
 */
export function hostsOf(host: string): { display: string; connect: string } {
  return {
    display: host === "0.0.0.0" || host === "::" ? "localhost" : host,
    connect: host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "[::1]" : host,
  };
}
