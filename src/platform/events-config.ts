import { isIP } from "node:net";
import { type Env, type envReader } from "./env-reader.js";

/** A network in CIDR notation, parsed: the address, its family and the prefix length. */
export interface Network {
  readonly address: string;
  readonly family: "ipv4" | "ipv6";
  readonly prefix: number;
}

/** Booking events: the relay, webhooks and the message broker (docs/booking-events.md). */
export interface EventsConfig {
  /** How often every process looks for events to sequence and deliveries that are due. */
  readonly relayIntervalMs: number;
  /** Delivered events older than this many days are deleted (0: kept for ever). */
  readonly retentionDays: number;
  readonly webhooks: {
    /** A delivery not answered within this is a failed attempt. */
    readonly timeoutMs: number;
    /** Attempts before a delivery is dead-lettered. */
    readonly maxAttempts: number;
    /** The wait after the first failed attempt; it doubles after each one, up to retryMaxMs (with jitter). */
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    /** Deliveries in flight per process. */
    readonly concurrency: number;
    /** Private, loopback and other non-public networks webhooks may still target (none by default: SSRF). */
    readonly allowedPrivateNetworks: readonly Network[];
    /** Whether webhook URLs must be https (by default in production). */
    readonly requireHttps: boolean;
    /** After a secret rotation, the previous secret also signs deliveries for this long. */
    readonly secretRotationGraceSeconds: number;
  };
  readonly broker: {
    /** Unset: no broker; events go to webhooks and the pull API only. */
    readonly url: string | undefined;
    /** The topic exchange events are published to (routing key: the event type). */
    readonly exchange: string;
    /** Events published per round before waiting for the broker's confirms. */
    readonly publishBatch: number;
  };
}

/** "10.0.0.0/8" or "::1/128" (a bare address is a /32 or /128); undefined if it is neither. */
export function parseNetwork(text: string): Network | undefined {
  const [address, prefixText, ...rest] = text.trim().split("/");
  if (!address || rest.length > 0) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits || prefixText === "") return undefined;
  return { address, family: version === 4 ? "ipv4" : "ipv6", prefix };
}

export function readEventsConfig(
  env: Env,
  { int, bool }: ReturnType<typeof envReader>,
  problems: string[],
  production: boolean,
): EventsConfig {
  const allowedPrivateNetworks: Network[] = [];
  for (const text of (env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? "").split(",").filter((part) => part.trim() !== "")) {
    const network = parseNetwork(text);
    if (network) allowedPrivateNetworks.push(network);
    else
      problems.push(`WEBHOOK_ALLOW_PRIVATE_NETWORKS: "${text.trim()}" is not an address or a network like 10.0.0.0/8`);
  }
  const brokerUrl = env.AMQP_URL?.trim() || undefined;
  if (brokerUrl !== undefined && !/^amqps?:\/\//.test(brokerUrl))
    problems.push("AMQP_URL must be an amqp:// or amqps:// URL");
  const exchange = env.AMQP_EXCHANGE?.trim() || "booking-events";
  if (!/^[A-Za-z0-9_.:-]{1,255}$/.test(exchange))
    problems.push("AMQP_EXCHANGE must be 1–255 letters, digits, '-', '_', '.' or ':'");
  const retryBaseMs = int("WEBHOOK_RETRY_BASE_MS", 5000, 10, 3_600_000);
  const retryMaxMs = int("WEBHOOK_RETRY_MAX_MS", 3_600_000, 10, 7 * 86_400_000);
  if (retryMaxMs < retryBaseMs) problems.push("WEBHOOK_RETRY_MAX_MS must be at least WEBHOOK_RETRY_BASE_MS");
  return {
    relayIntervalMs: int("EVENT_RELAY_INTERVAL_MS", 100, 10, 60_000),
    retentionDays: int("BOOKING_EVENT_RETENTION_DAYS", 30, 0, 36_500),
    webhooks: {
      timeoutMs: int("WEBHOOK_TIMEOUT_MS", 10_000, 100, 120_000),
      maxAttempts: int("WEBHOOK_MAX_ATTEMPTS", 12, 1, 100),
      retryBaseMs,
      retryMaxMs,
      concurrency: int("WEBHOOK_CONCURRENCY", 64, 1, 1000),
      allowedPrivateNetworks,
      requireHttps: bool("WEBHOOK_REQUIRE_HTTPS", production),
      secretRotationGraceSeconds: int("WEBHOOK_SECRET_ROTATION_GRACE_SECONDS", 86_400, 0, 30 * 86_400),
    },
    broker: {
      url: brokerUrl,
      exchange,
      publishBatch: int("AMQP_PUBLISH_BATCH", 500, 1, 10_000),
    },
  };
}
