import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { hostname } from "node:os";
import { type Logger } from "../../platform/logger.js";

/** Heartbeat asked of the broker unless AMQP_URL sets one (?heartbeat=): a silent peer is dropped after two. */
const DEFAULT_HEARTBEAT_SECONDS = 10;
/** A connection (TCP, AMQP handshake) not open within this fails: a black-holed address must not hang the relay. */
export const CONNECT_TIMEOUT_MS = 5000;
/** Reconnect delays: doubling from the first to the last, with ±20% jitter so that processes do not move as one. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 15_000;
/** A connection closed by this side gets this long for the broker's close-ok before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

/** AMQP_URL with the default heartbeat when it names none. */
export function withHeartbeat(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has("heartbeat")) parsed.searchParams.set("heartbeat", String(DEFAULT_HEARTBEAT_SECONDS));
  return parsed.toString();
}

/** The broker's address for logs: never the credentials. */
export function redactedAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/**
 * The publisher's connection to the broker: one AMQP connection with one confirm channel, on which the exchange is
 * asserted (topic, durable). When it drops (or cannot be opened) it is opened again after a growing delay, in the
 * background; until then `open()` answers undefined at once, so nothing ever waits on a broker that is down.
 */
export class BrokerConnection {
  private model: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private connecting: Promise<ConfirmChannel | undefined> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly exchange: string,
    private readonly logger: Logger,
    /** Called when an attempt to connect fails (the publisher records it and counts it). */
    private readonly onConnectFailed: (error: Error) => void,
  ) {}

  /**
   * The open confirm channel. Connects first when no connection was tried yet (or an attempt is under way: it
   * waits for that one); undefined while the broker is unreachable and the next attempt is not due yet.
   */
  async open(): Promise<ConfirmChannel | undefined> {
    if (this.stopped) return undefined;
    if (this.channel) return this.channel;
    if (this.connecting) return this.connecting;
    if (this.retryTimer) return undefined;
    return this.connect();
  }

  /** Drops the connection (its state is unknown: confirms that never came); a new one is opened after a delay. */
  async reset(why: string): Promise<void> {
    const model = this.model;
    if (!model) return;
    this.logger.warn("closing the message broker connection", { why });
    this.lost(model);
    await closeWithin(model, CLOSE_GRACE_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    // An attempt under way is not awaited (against a black-holed address it lasts CONNECT_TIMEOUT_MS): it sees
    // `stopped` when it ends and closes what it opened.
    const model = this.model;
    this.model = undefined;
    this.channel = undefined;
    if (model) await closeWithin(model, CLOSE_GRACE_MS);
  }

  private connect(): Promise<ConfirmChannel | undefined> {
    this.connecting = this.attempt().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async attempt(): Promise<ConfirmChannel | undefined> {
    let model: ChannelModel | undefined;
    try {
      model = await amqp.connect(withHeartbeat(this.url), {
        timeout: CONNECT_TIMEOUT_MS,
        clientProperties: { connection_name: `booking-api publisher ${hostname()}:${process.pid}` },
      });
      const opened = model;
      // Without listeners an 'error' event would crash the process; 'close' follows it and is handled there.
      opened.on("error", (error: Error) => this.logger.warn("message broker connection error", { error }));
      opened.on("close", () => this.lost(opened));
      opened.on("blocked", (reason: string) =>
        this.logger.warn("the message broker blocks publishing (resource alarm); events wait", { reason }),
      );
      const channel = await opened.createConfirmChannel();
      channel.on("error", (error: Error) => this.logger.warn("message broker channel error", { error }));
      // A channel closed by the broker (e.g. the exchange was deleted) while the connection stays: start afresh.
      channel.on("close", () => {
        if (this.model === opened) void this.reset("the channel was closed");
      });
      await channel.assertExchange(this.exchange, "topic", { durable: true });
      if (this.stopped) {
        await closeWithin(opened, CLOSE_GRACE_MS);
        return undefined;
      }
      this.model = opened;
      this.channel = channel;
      if (this.failures > 0) this.logger.info("connected to the message broker again", { attempts: this.failures });
      this.failures = 0;
      return channel;
    } catch (error) {
      if (model) await closeWithin(model, CLOSE_GRACE_MS);
      if (this.stopped) return undefined;
      this.failures += 1;
      const cause = error instanceof Error ? error : new Error(String(error));
      // The first failure of an outage is worth a warning; the retries after it, a debug line each.
      const log = this.failures === 1 ? this.logger.warn : this.logger.debug;
      log.call(this.logger, "cannot connect to the message broker; retrying", {
        broker: redactedAddress(this.url),
        error: cause,
      });
      this.onConnectFailed(cause);
      this.scheduleRetry();
      return undefined;
    }
  }

  /** The connection `model` is gone: forget it and open another one after a delay. */
  private lost(model: ChannelModel): void {
    if (this.model !== model) return;
    this.model = undefined;
    this.channel = undefined;
    if (this.stopped) return;
    this.logger.warn("lost the message broker connection; reconnecting", { broker: redactedAddress(this.url) });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, this.failures - 1));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped && !this.channel && !this.connecting) void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}

/**
 * Closes `model` politely, or, when the broker does not answer within `graceMs` (a black-holed connection), destroys
 * its socket: amqplib would otherwise wait for the close-ok until heartbeats fail, and so would every unconfirmed
 * publish. Destroying it with an error settles them all as "channel closed".
 */
async function closeWithin(model: ChannelModel, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = model.close().then(
    () => true,
    () => true,
  );
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const polite = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (polite) return;
  // amqplib keeps the socket on its connection object; its public types do not show it.
  const internal = model.connection as unknown as { stream?: { destroy(error?: Error): void } };
  internal.stream?.destroy(new Error("the message broker did not answer; connection dropped"));
}
