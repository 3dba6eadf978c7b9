import { PublicError } from "./errors.js";

/**
 * An answer refused for its size (HTTP 400): the rows it would return (`unit: "rows"`, charged before they are read)
 * or the bytes it came to (`unit: "bytes"`), with the limit.
 */
export class ResponseTooLargeError extends PublicError {
  constructor(unit: "rows" | "bytes", limit: number, actual?: number) {
    const asked = actual === undefined ? `more than ${limit}` : String(actual);
    super(
      `This request would return ${asked} ${unit === "rows" ? "rows (seats)" : "bytes"}; at most ${limit} are ` +
        "allowed per request. Ask for fewer seat maps per request.",
      "RESPONSE_TOO_LARGE",
      { unit, limit, ...(actual === undefined ? {} : { actual }), http: { status: 400 } },
    );
  }
}

/**
 * The rows one operation may return, whatever its text looks like: the static cost estimate cannot know how big a
 * show is, so list fields that can return many rows charge them here before reading them. Going over refuses the
 * field, and the transport refuses the whole answer (`refusal`).
 */
export class RowBudget {
  private charged = 0;
  private refused: PublicError | undefined;
  private denial: PublicError | undefined;

  constructor(readonly limit: number) {}

  /**
   * Refuses every later charge with `error` (the client has read its allowance of rows for now): fields that read
   * no rows, and so cost next to nothing, still answer.
   */
  deny(error: PublicError): void {
    this.denial = error;
  }

  /** Charges `rows` about to be read; throws RESPONSE_TOO_LARGE (or the denial), and remembers it, when refused. */
  charge(rows: number): void {
    if (rows > 0 && this.denial) {
      this.refused ??= this.denial;
      throw this.denial;
    }
    if (this.charged + rows > this.limit) {
      this.refused ??= new ResponseTooLargeError("rows", this.limit, this.charged + rows);
      throw this.refused;
    }
    this.charged += rows;
  }

  /** Gives back what a field charged as its worst case but did not return. */
  refund(rows: number): void {
    this.charged = Math.max(0, this.charged - rows);
  }

  /** Rows charged and not refunded: what this operation read. */
  get rows(): number {
    return this.charged;
  }

  /** The refusal, if any field was refused its rows: the whole answer is replaced by it. */
  get refusal(): PublicError | undefined {
    return this.refused;
  }
}
