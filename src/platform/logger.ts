import pino from "pino";

/** Leveled structured logging (pino): JSON lines in production, readable lines (pino-pretty) in development. */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Longest logged string (messages and every field): clients choose many of them (operation names, ids, bodies). */
export const MAX_LOGGED_CHARS = 200;
/** Longest logged message: written by this code, but some carry a value (a token printed for Sandbox). */
const MAX_MESSAGE_CHARS = 1000;
/** Longest logged stack trace (the first frames are the useful ones). */
const MAX_STACK_CHARS = 2000;
/** Deeper fields, and arrays and objects past this many entries, are summarised. */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 20;

const truncate = (text: string, max = MAX_LOGGED_CHARS): string =>
  text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more chars]`;

/** An error as a bounded plain object: name, message, code, and the first part of its stack. */
const boundedError = (error: Error): Record<string, unknown> => ({
  name: truncate(error.name),
  message: truncate(error.message),
  ...("code" in error && error.code !== undefined ? { code: truncate(String(error.code)) } : {}),
  ...(error.stack ? { stack: truncate(error.stack, MAX_STACK_CHARS) } : {}),
});

/** A copy of `value` in which no string is longer than MAX_LOGGED_CHARS and nothing nests or lists without bound. */
export function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return truncate(value);
  if (value instanceof Error) return boundedError(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ENTRIES).map((item) => bounded(item, depth + 1));
    return value.length > MAX_ENTRIES ? [...items, `…[${value.length - MAX_ENTRIES} more items]`] : items;
  }
  const entries = Object.entries(value);
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries.slice(0, MAX_ENTRIES)) result[truncate(key)] = bounded(item, depth + 1);
  if (entries.length > MAX_ENTRIES) result["…"] = `${entries.length - MAX_ENTRIES} more fields`;
  return result;
}

/**
 * `destination` is for tests (pino writes JSON lines to it); the process writes to stdout, one JSON object per line
 * in production, so nothing it logs lands on stderr or spans lines.
 */
export function createLogger(level: LogLevel, json: boolean, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined, // no pid/hostname on every line: the platform adds what it needs
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(json || destination
      ? {}
      : { transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "time" } } }),
  };
  const base = destination ? pino(options, destination) : pino(options);
  const write = (at: LogLevel) => (message: string, fields?: Record<string, unknown>) =>
    fields
      ? base[at](bounded(fields) as object, truncate(message, MAX_MESSAGE_CHARS))
      : base[at](truncate(message, MAX_MESSAGE_CHARS));
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

/** For tests and tools that want silence. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
