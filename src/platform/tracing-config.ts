import { type Env, envReader } from "./env-reader.js";

/**
 * OpenTelemetry tracing, switched by the standard OTEL_* variables. The OpenTelemetry SDK reads them itself (and
 * the other OTEL_* variables it knows); this module only decides whether the SDK is loaded at all and refuses values
 * the SDK would silently ignore.
 */
export interface TracingConfig {
  /** On when an exporter or an OTLP endpoint is named and OTEL_SDK_DISABLED is not true; off: the SDK is not loaded. */
  readonly enabled: boolean;
  /** OTEL_SERVICE_NAME, or the project's name. */
  readonly serviceName: string;
}

const EXPORTERS = ["otlp", "console", "zipkin", "none"];
const PROTOCOLS = ["http/protobuf", "http/json", "grpc"];
const ENDPOINTS = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] as const;

/** Reads the tracing switch; bad values go into `problems` (tracing then stays off). */
export function readTracingConfig(env: Env, problems: string[]): TracingConfig {
  const before = problems.length;
  const disabled = envReader(env, problems).bool("OTEL_SDK_DISABLED", false);
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  for (const exporter of exporters) {
    if (!EXPORTERS.includes(exporter))
      problems.push(`OTEL_TRACES_EXPORTER must list some of ${EXPORTERS.join(", ")} (got "${exporter}")`);
  }
  for (const name of ENDPOINTS) {
    const url = env[name]?.trim();
    if (url && !/^https?:\/\/[^\s]+$/.test(url)) problems.push(`${name} must be an http:// or https:// URL`);
  }
  for (const name of ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"]) {
    const protocol = env[name]?.trim();
    if (protocol && !PROTOCOLS.includes(protocol)) problems.push(`${name} must be one of ${PROTOCOLS.join(", ")}`);
  }
  const exporting = exporters.some((exporter) => exporter !== "none");
  const named = exporting || ENDPOINTS.some((name) => Boolean(env[name]?.trim()));
  const refusedExport = exporters.length > 0 && !exporting;
  return {
    enabled: problems.length === before && !disabled && named && !refusedExport,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || "seat-booking-api",
  };
}
