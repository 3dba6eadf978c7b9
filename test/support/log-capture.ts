import { type Logger } from "./from-src";

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** A logger that keeps every line, for tests that assert what the server logged. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const collect = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, fields });
  return {
    lines,
    logger: { debug: collect("debug"), info: collect("info"), warn: collect("warn"), error: collect("error") },
  };
}
