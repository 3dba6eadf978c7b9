import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { GraphQLInstrumentation } from "@opentelemetry/instrumentation-graphql";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { type TracingConfig } from "./tracing-config.js";

/**
 * Starts the OpenTelemetry SDK with the instrumentations of what this API runs on: incoming and outgoing HTTP,
 * Express's routing, GraphQL parsing, validation and execution, and PostgreSQL (node-postgres, under Prisma's adapter
 * and the booking statements). Spans go where the OTEL_* variables say (the SDK reads them: exporter, endpoint,
 * protocol, sampler, headers…). Traces only: metrics are Prometheus's (/metrics), logs go to stdout.
 */
export function startTracingSdk(config: TracingConfig): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // The request id joins a trace to the request's log lines (the header is set on every answer).
        headersToSpanAttributes: { server: { responseHeaders: ["x-request-id"] } },
      }),
      new ExpressInstrumentation(),
      // One span per field of the seat map (thousands) would drown the trace: the resolvers of plain fields are left out.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}
