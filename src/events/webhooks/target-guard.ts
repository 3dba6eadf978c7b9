import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { type Network } from "../../platform/events-config.js";

/*
 * The SSRF guard: webhook targets may not be the API's own host, its private networks or the cloud's metadata
 * service. The check runs twice: when a webhook is registered (on every address its host name resolves to) and on the
 * address each delivery actually connects to (a `lookup` for node:http that refuses the connection), so a host name
 * that later resolves elsewhere (DNS rebinding) gains nothing.
 */

/** Ranges no webhook may target unless WEBHOOK_ALLOW_PRIVATE_NETWORKS allows them, with what they are. */
const REFUSED_V4: readonly (readonly [string, number, string])[] = [
  ["0.0.0.0", 8, "a 'this network' address"],
  ["10.0.0.0", 8, "a private address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address"],
  ["172.16.0.0", 12, "a private address"],
  ["192.0.0.0", 24, "an IETF protocol address"],
  ["192.0.2.0", 24, "a documentation address"],
  ["192.88.99.0", 24, "a 6to4 relay address"],
  ["192.168.0.0", 16, "a private address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["198.51.100.0", 24, "a documentation address"],
  ["203.0.113.0", 24, "a documentation address"],
  ["224.0.0.0", 4, "a multicast address"],
  // 240/4 is reserved; its last address is the broadcast address
  ["240.0.0.0", 4, "a reserved or broadcast address"],
];
const REFUSED_V6: readonly (readonly [string, number, string])[] = [
  ["::", 128, "the unspecified address"],
  ["::1", 128, "a loopback address"],
  ["100::", 64, "a discard address"],
  ["2001:db8::", 32, "a documentation address"],
  ["3fff::", 20, "a documentation address"],
  ["fc00::", 7, "a unique local address"],
  ["fe80::", 10, "a link-local address"],
  ["fec0::", 10, "a site-local address"],
  ["ff00::", 8, "a multicast address"],
];

const refusedLists = [
  ...REFUSED_V4.map(([address, prefix, why]) => ({ family: "ipv4" as const, address, prefix, why })),
  ...REFUSED_V6.map(([address, prefix, why]) => ({ family: "ipv6" as const, address, prefix, why })),
].map(({ family, address, prefix, why }) => {
  const list = new BlockList();
  list.addSubnet(address, prefix, family);
  return { list, family, why };
});

/** Why an address may not be targeted, or undefined when it may. */
export type AddressVerdict = string | undefined;

/** Decides on addresses: refused ranges, minus the allowed private networks. */
export class TargetGuard {
  private readonly allowed = new BlockList();

  constructor(allowedNetworks: readonly Network[]) {
    for (const network of allowedNetworks) this.allowed.addSubnet(network.address, network.prefix, network.family);
  }

  /** Why `address` (an IP literal) is refused; undefined when it may be targeted. */
  refusal(address: string): AddressVerdict {
    const version = isIP(address);
    if (version === 0) return `${address} is not an IP address`;
    const family = version === 4 ? "ipv4" : "ipv6";
    if (this.allowed.check(address, family)) return undefined;
    // An IPv4 address inside IPv6 (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d) reaches the
    // IPv4 host: it is judged as that address.
    const embedded = family === "ipv6" ? embeddedIPv4(address) : undefined;
    if (embedded !== undefined) {
      const inner = this.refusal(embedded);
      return inner === undefined ? undefined : `${inner} (${embedded} inside IPv6)`;
    }
    for (const refused of refusedLists) {
      if (refused.family === family && refused.list.check(address, family)) return refused.why;
    }
    return undefined;
  }

  /**
   * A `lookup` for node:net/http that resolves as usual and fails the connection when any resolved address is
   * refused: the address connected to is the one that was checked.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = addresses
        .map((entry) => [entry.address, this.refusal(entry.address)] as const)
        .find(([, why]) => why !== undefined);
      if (refused) return callback(new RefusedTargetError(hostname, refused[0], refused[1]!), "", 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/** A delivery's connection refused by the guard (also used for an IP-literal URL, which node:http never looks up). */
export class RefusedTargetError extends Error {
  override readonly name = "RefusedTargetError";
  constructor(host: string, address: string, why: string) {
    const where = host === address ? `${address} is` : `${host} resolves to ${address},`;
    super(`refused: ${where} ${why}, not allowed by WEBHOOK_ALLOW_PRIVATE_NETWORKS`);
  }
}

/** The host of a URL's hostname as an IP literal ("[::1]" → "::1"), or undefined for a name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
}

/** The IPv4 address an IPv6 address carries (mapped, compatible or NAT64 well-known prefix), if any. */
export function embeddedIPv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return undefined;
  const zeros = (from: number, to: number) => words.slice(from, to).every((w) => w === 0);
  const mapped = zeros(0, 5) && words[5] === 0xffff;
  // ::a.b.c.d (deprecated "compatible" form); :: and ::1 themselves are judged as IPv6
  const compatible = zeros(0, 6) && (words[6] !== 0 || words[7]! > 1);
  const nat64 = words[0] === 0x64 && words[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !compatible && !nat64) return undefined;
  return [words[6]! >> 8, words[6]! & 0xff, words[7]! >> 8, words[7]! & 0xff].join(".");
}

/** The eight 16-bit words of an IPv6 address (with "::" and a trailing dotted quad); undefined if it is none. */
function ipv6Words(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.split("%")[0]!.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").map((w) => parseInt(w, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const middle = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  const words = [...front, ...middle, ...back];
  return words.length === 8 ? words : undefined;
}
