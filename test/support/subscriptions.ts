import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";

export interface Subscription<TData> {
  readonly events: TData[];
  readonly errors: unknown[];
  /** Resolves once the server acknowledged the connection (the subscription may not be registered yet). */
  readonly ready: Promise<void>;
  /**
   * Resolves once the subscription is certainly registered: graphql-ws has no acknowledgement for that, so `probe`
   * (something that publishes an event) is repeated until an event arrives. Probe events are then discarded.
   */
  untilLive(probe: () => Promise<unknown>, timeoutMs?: number): Promise<void>;
  /** Waits until `count` events arrived (fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<TData[]>;
  close(): Promise<void>;
}

/** Subscribes over a real graphql-ws connection to `url` (http://… is turned into ws://…). */
export function subscribe<TData, TVariables extends Record<string, unknown>>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  token?: string,
): Subscription<TData> {
  const events: TData[] = [];
  const errors: unknown[] = [];
  let notify = () => {};
  const client: Client = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    onNonLazyError: () => {},
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
  });
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  // graphql-ws sends `subscribe` right after the ack; a tiny settle delay lets the server register it.
  const off = client.on("connected", () => setTimeout(subscribed, 100));
  client.subscribe<TData>(
    { query: print(document), variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) events.push(result.data as TData);
        notify();
      },
      error: (error) => {
        errors.push(error);
        subscribed();
        notify();
      },
      complete: () => notify(),
    },
  );
  return {
    events,
    errors,
    ready,
    async untilLive(probe, timeoutMs = 15_000) {
      await ready;
      const deadline = Date.now() + timeoutMs;
      while (events.length === 0) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`subscription not live after ${timeoutMs} ms`);
        await probe();
        const until = Date.now() + 300;
        while (events.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Let any further probe events arrive, then start clean.
      await new Promise((resolve) => setTimeout(resolve, 200));
      events.length = 0;
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline)
          throw new Error(`expected ${count} events within ${timeoutMs} ms, got ${events.length}`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 20);
        });
      }
      return events;
    },
    async close() {
      off();
      await client.dispose();
    },
  };
}
