import { Matches, ValidateBy, validateSync } from "class-validator";
import { parseInt8 } from "../domain/ids.js";
import { type Problem } from "../domain/problem.js";

/**
 * Runs the class-validator rules of a mutation input and reports every broken rule as an INVALID_INPUT problem
 * pointing at its field, so clients get form-friendly `userErrors` instead of a top-level error.
 *
 * Synchronously: no rule here is asynchronous, and class-validator's `validate` makes a promise per rule and value
 * (measured: 54 µs per hold input, against 16 µs synchronously).
 */
export async function inputProblems(input: object, path: string[] = ["input"]): Promise<Problem[]> {
  const errors = validateSync(input, { forbidUnknownValues: false });
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => ({
      code: "INVALID_INPUT" as const,
      message,
      field: [...path, error.property],
    })),
  );
}

/**
 * Refuses control characters (U+0000–U+001F, U+007F–U+009F) in a text field: PostgreSQL cannot store NUL in text,
 * and the others have no place in a display name.
 */
export const NoControlCharacters = (field: string) =>
  // eslint-disable-next-line no-control-regex
  Matches(/^[^\u0000-\u001f\u007f-\u009f]*$/, { message: `${field} must not contain control characters` });

/** A decimal bigint (a sequence's id or position, as cursors and ids of logs are) that PostgreSQL's bigint holds. */
export const IsInt8Digits = (message: string, options: { each?: boolean } = {}) =>
  ValidateBy(
    {
      name: "isInt8Digits",
      validator: { validate: (value) => typeof value === "string" && parseInt8(value) !== null },
    },
    { message, each: options.each },
  );
