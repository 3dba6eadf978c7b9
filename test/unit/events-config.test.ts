import { ConfigError, loadConfig } from "../../src/platform/config";
import { parseNetwork } from "../../src/platform/events-config";

describe("booking-event configuration", () => {
  it("has defaults that deliver without a broker and refuse private webhook targets", () => {
    const { events } = loadConfig({});
    expect(events.broker).toEqual({ url: undefined, exchange: "booking-events", publishBatch: 500 });
    expect(events.webhooks.allowedPrivateNetworks).toEqual([]);
    expect(events.webhooks.requireHttps).toBe(false);
    expect(
      loadConfig({ NODE_ENV: "production", JWT_SECRET: "x".repeat(32), DATABASE_URL: "postgres://h/db" }).events
        .webhooks.requireHttps,
    ).toBe(true);
    expect(events.retentionDays).toBe(30);
  });

  it("parses networks: addresses are single-host networks; anything else is refused", () => {
    expect(parseNetwork("127.0.0.1")).toEqual({ address: "127.0.0.1", family: "ipv4", prefix: 32 });
    expect(parseNetwork(" 10.0.0.0/8 ")).toEqual({ address: "10.0.0.0", family: "ipv4", prefix: 8 });
    expect(parseNetwork("fd00::/8")).toEqual({ address: "fd00::", family: "ipv6", prefix: 8 });
    for (const bad of ["10.0.0.0/33", "10.0.0.0/", "localhost", "10.0.0.0/8/1", "::1/129", ""]) {
      expect(parseNetwork(bad)).toBeUndefined();
    }
  });

  it("names every bad setting at once", () => {
    let error: unknown;
    try {
      loadConfig({
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "127.0.0.1,intranet",
        AMQP_URL: "http://broker",
        AMQP_EXCHANGE: "bad name",
        WEBHOOK_RETRY_BASE_MS: "5000",
        WEBHOOK_RETRY_MAX_MS: "1000",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'WEBHOOK_ALLOW_PRIVATE_NETWORKS: "intranet" is not an address or a network like 10.0.0.0/8',
      "AMQP_URL must be an amqp:// or amqps:// URL",
      "AMQP_EXCHANGE must be 1–255 letters, digits, '-', '_', '.' or ':'",
      "WEBHOOK_RETRY_MAX_MS must be at least WEBHOOK_RETRY_BASE_MS",
    ]);
  });
});
