import { type Problem } from "../../domain/problem.js";
import { quote } from "./layout-formats.js";
import { type LayoutLimits } from "./layout.types.js";

/** A path below the layout: ["sections", 1, "rows", 0]. */
export type FieldPath = readonly (string | number)[];

/** A hostile layout could break every rule of every seat: past this many problems, validation stops. */
export const MAX_PROBLEMS = 50;

/** Unwinds validation once the problem list is full; validateLayout catches it. */
export class ProblemLimitReached extends Error {
  constructor() {
    super(`More than ${MAX_PROBLEMS} problems in a layout`);
  }
}

/** Collects INVALID_INPUT problems with their field paths (the root, then the path below the layout, as strings). */
export class ProblemCollector {
  readonly problems: Problem[] = [];

  constructor(private readonly root: FieldPath) {}

  /** Adds a problem; when the list is already full, says so in its last message and stops validation. */
  report(path: FieldPath, message: string): void {
    if (this.problems.length === MAX_PROBLEMS) {
      const last = this.problems[MAX_PROBLEMS - 1]!;
      this.problems[MAX_PROBLEMS - 1] = {
        ...last,
        message: `${last.message} (validation stopped after ${MAX_PROBLEMS} problems; there are more: fix these and try again)`,
      };
      throw new ProblemLimitReached();
    }
    this.problems.push({ code: "INVALID_INPUT", message, field: this.fieldOf(path) });
  }

  /** "input.layout.sections.1.rows.0": where a value is, for messages that point at a second place. */
  describe(path: FieldPath): string {
    return this.fieldOf(path).join(".");
  }

  private fieldOf(path: FieldPath): string[] {
    return [...this.root, ...path].map(String);
  }
}

/** The categories a layout defines, and the ones its seats turn out to use. */
export class CategoryIndex {
  readonly used = new Set<string>();
  private readonly defined: string;

  constructor(readonly keys: ReadonlySet<string>) {
    this.defined = keys.size === 0 ? "none is defined yet" : `defined: ${[...keys].join(", ")}`;
  }

  /** Why `value` does not name a defined category, or null when it does. */
  referenceProblem(value: unknown, what: string): string | null {
    if (typeof value === "string" && this.keys.has(value)) return null;
    return `${what} ${quote(value)} is not a category of this layout (${this.defined})`;
  }

  /** Marks a category as used by a seat, if it is one of the layout's. */
  use(key: string | null | undefined): void {
    if (typeof key === "string" && this.keys.has(key)) this.used.add(key);
  }
}

export interface ValidationContext {
  readonly problems: ProblemCollector;
  readonly categories: CategoryIndex;
  readonly limits: LayoutLimits;
}
