import { validate } from "class-validator";
import { type Problem } from "../domain/problem.js";

/**
 * Runs the class-validator rules of a mutation input and reports every broken rule as an INVALID_INPUT problem
 * pointing at its field, so clients get form-friendly `userErrors` instead of a top-level error.
 */
export async function inputProblems(input: object, path: string[] = ["input"]): Promise<Problem[]> {
  const errors = await validate(input, { forbidUnknownValues: false });
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => ({
      code: "INVALID_INPUT" as const,
      message,
      field: [...path, error.property],
    })),
  );
}
