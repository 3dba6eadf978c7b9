import pino from "pino";

/** Leveled structured logging (pino): JSON lines in production, readable lines (pino-pretty) in development. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel, json: boolean): Logger {
  const base = pino({
    level,
    base: undefined, // no pid/hostname on every line: the platform adds what it needs
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { error: pino.stdSerializers.err },
    ...(json ? {} : { transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "time" } } }),
  });
  const write = (at: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    fields ? base[at](fields, message) : base[at](message);
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
