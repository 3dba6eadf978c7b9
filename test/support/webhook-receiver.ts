import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { type AddressInfo } from "node:net";
import { Webhook, type WebhookVerificationError } from "standardwebhooks";
import {
  ConfirmBookingDocument,
  CreateWebhookDocument,
  type CreateWebhookInput,
  HoldSeatsDocument,
  WebhookDeliveriesDocument,
  type WebhookDeliveryStatus,
} from "../__generated__/graphql";
import { admin, BOX_OFFICE_SETTINGS } from "./box-office";
import { startTestApp, type TestApp } from "./test-app";

/** One request the receiver got. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  /** The raw body, as signed. */
  readonly body: string;
  readonly receivedAt: number;
  /** What the receiver answered: a status, or "hang" (held without an answer until the client gave up). */
  readonly answered: number | "hang";
}

/** How to answer a request: a status after an optional delay, or hold it without answering. */
export type Answer = { status: number; delayMs?: number; body?: string; headers?: Record<string, string> } | "hang";

/**
 * A real HTTP endpoint in the test process, as a webhook consumer runs one: it records every request (raw body and
 * headers), answers as `answer` says (200 by default), and tracks how many requests carrying the same webhook-id are in
 * flight at once (`maxConcurrentPerId`: more than 1 means the same event was being delivered twice concurrently).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  maxConcurrentPerId = 0;
  answer: (request: { id: string; body: string; nth: number }) => Answer = () => ({ status: 200 });
  private readonly inFlight = new Map<string, number>();
  private readonly held = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hooks`);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => void receiver.handle(request.headers, Buffer.concat(chunks).toString("utf8"), response));
    });
    return receiver;
  }

  private async handle(headers: IncomingHttpHeaders, body: string, response: ServerResponse): Promise<void> {
    const id = String(headers["webhook-id"] ?? "");
    const nth = this.received.filter((r) => r.headers["webhook-id"] === id).length + 1;
    const answer = this.answer({ id, body, nth });
    this.received.push({ headers, body, receivedAt: Date.now(), answered: answer === "hang" ? "hang" : answer.status });
    const now = (this.inFlight.get(id) ?? 0) + 1;
    this.inFlight.set(id, now);
    this.maxConcurrentPerId = Math.max(this.maxConcurrentPerId, now);
    const done = () => this.inFlight.set(id, (this.inFlight.get(id) ?? 1) - 1);
    if (answer === "hang") {
      // Held until the client gives up (its timeout closes the connection) or the receiver stops.
      const release = () => {
        this.held.delete(release);
        done();
        response.destroy();
      };
      this.held.add(release);
      response.on("close", () => this.held.has(release) && release());
      return;
    }
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    done();
    response.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers }).end(answer.body ?? "");
  }

  /** Requests being answered now (or held). */
  inFlightCount(): number {
    let count = 0;
    for (const n of this.inFlight.values()) count += n;
    return count;
  }

  /** The parsed bodies of requests answered 2xx, in arrival order. */
  deliveredBodies(): Record<string, unknown>[] {
    return this.received
      .filter((r) => typeof r.answered === "number" && r.answered >= 200 && r.answered < 300)
      .map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  /** Polls until `condition` holds (every 20 ms), failing after `timeoutMs` with `what` in the message. */
  async waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; received ${this.received.length} requests`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    for (const release of [...this.held]) release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Verifies a request with the reference Standard Webhooks implementation (the `standardwebhooks` package, not the
 * API's code): the parsed body, or the verification error.
 */
export function verify(secret: string, request: Pick<ReceivedWebhook, "headers" | "body">): unknown {
  const headers = {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  };
  return new Webhook(secret).verify(request.body, headers);
}

export type { WebhookVerificationError };

/* Driving a test app's webhooks through its API. */

/** Registers a webhook as an admin; fails the test on userErrors. Returns its id and secret. */
export async function registerWebhook(
  t: TestApp,
  input: CreateWebhookInput,
): Promise<{ readonly id: string; readonly secret: string }> {
  const { createWebhook } = await t.ok(CreateWebhookDocument, { input }, { as: "webhook-admin", role: "admin" });
  expect(createWebhook.userErrors).toEqual([]);
  return { id: createWebhook.webhook!.id, secret: createWebhook.secret! };
}

/** Holds `seatNumbers` as `user` (booking.held) and, unless told not to, confirms them (booking.confirmed). */
export async function book(
  t: TestApp,
  showId: string,
  user: string,
  seatNumbers: string[],
  confirm = true,
): Promise<string> {
  const held = await t.ok(HoldSeatsDocument, { input: { showId, seatNumbers } }, { as: user });
  expect(held.holdSeats.userErrors).toEqual([]);
  const bookingId = held.holdSeats.booking!.id;
  if (confirm) {
    const confirmed = await t.ok(ConfirmBookingDocument, { id: bookingId }, { as: user });
    expect(confirmed.confirmBooking.userErrors).toEqual([]);
  }
  return bookingId;
}

/**
 * For a file of delivery tests: an API over its own database with the relay running every 20 ms, retries 100, 200,
 * 400 ms apart (less up to 20% jitter), a 300 ms timeout and 4 attempts, and 127.0.0.1 allowed. Receivers made with
 * `receiver()` are stopped, and every webhook deleted, after each test.
 */
export function deliveryTestApp() {
  let app: TestApp | undefined;
  const receivers: WebhookReceiver[] = [];
  beforeAll(async () => {
    app = await startTestApp(
      {
        ...BOX_OFFICE_SETTINGS,
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "127.0.0.1",
        EVENT_RELAY_INTERVAL_MS: "20",
        WEBHOOK_RETRY_BASE_MS: "100",
        WEBHOOK_RETRY_MAX_MS: "2000",
        WEBHOOK_TIMEOUT_MS: "300",
        WEBHOOK_MAX_ATTEMPTS: "4",
      },
      { runEventRelay: true },
    );
  });
  afterEach(async () => {
    if (app) await app.prisma.$executeRaw`DELETE FROM webhooks`;
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  afterAll(() => app?.stop());
  return {
    get t(): TestApp {
      return app!;
    },
    async receiver(): Promise<WebhookReceiver> {
      const started = await WebhookReceiver.start();
      receivers.push(started);
      return started;
    },
    /** The webhook's backlog and its deliveries (newest first, with attempt logs), as an admin reads them. */
    async deliveriesOf(id: string, status?: WebhookDeliveryStatus[]) {
      return (await app!.ok(WebhookDeliveriesDocument, { id, status, first: 20 }, admin())).webhook!;
    },
  };
}

/** The `type` of a parsed body. */
export const typeOf = (body: Record<string, unknown>) => body.type as string;
