import { Writable } from "node:stream";
import { createLogger } from "../../src/platform/logger";

/** A logger writing JSON lines into an array, as the production stream does. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger("info", true, sink), lines };
}

describe("logger", () => {
  it("bounds every string field, so a 1 MB client-chosen value writes a short line", () => {
    const { logger, lines } = capture();
    const huge = "x".repeat(1_000_000);
    logger.info("graphql request", { operation: huge, nested: { list: Array(1000).fill(huge) } });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(10_000);
    const entry = JSON.parse(lines[0]!) as { operation: string; nested: { list: string[] } };
    expect(entry.operation).toMatch(/^x{200}…\[999800 more chars\]$/);
    expect(entry.nested.list).toHaveLength(21);
  });

  it("writes errors as one JSON line with name, message and a bounded stack", () => {
    const { logger, lines } = capture();
    const error = new SyntaxError(`Unexpected token in JSON ${"y".repeat(5000)}`);
    error.stack = `${error.message}\n${"    at somewhere (file.js:1:1)\n".repeat(1000)}`;
    logger.error("unhandled error", { error });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { error: { name: string; message: string; stack: string } };
    expect(entry.error.name).toBe("SyntaxError");
    expect(entry.error.message.length).toBeLessThan(300);
    expect(entry.error.stack.length).toBeLessThan(2100);
  });
});
