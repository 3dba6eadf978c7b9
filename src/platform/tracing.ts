import { loadTracingConfig } from "./config.js";
import { type startTracingSdk } from "./tracing-sdk.js";

/**
 * OpenTelemetry tracing, on when the OTEL_* variables name an exporter or an OTLP endpoint (tracing-config.ts).
 * main.ts imports this module first: instrumentations patch the modules they trace (http, express, graphql, pg) as
 * those are loaded, so the SDK starts before any of them is. Off, the SDK is not even loaded.
 */
const config = loadTracingConfig();
const sdk: ReturnType<typeof startTracingSdk> | undefined = config.enabled
  ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when on, and synchronously: before the traced modules
    (require("./tracing-sdk.js") as { startTracingSdk: typeof startTracingSdk }).startTracingSdk(config)
  : undefined;

/** Sends the spans still buffered and stops tracing (on shutdown). */
export async function stopTracing(): Promise<void> {
  await sdk?.shutdown();
}
