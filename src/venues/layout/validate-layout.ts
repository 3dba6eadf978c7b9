import { type Problem } from "../../domain/problem.js";
import {
  MAX_SEAT_NUMBER_LENGTH,
  colorProblem,
  coordinateProblem,
  keyProblem,
  labelProblem,
  quote,
  seatPrefixProblem,
} from "./layout-formats.js";
import {
  type CategoryDefinition,
  DEFAULT_LAYOUT_LIMITS,
  type LayoutDefinition,
  type LayoutLimits,
  type SectionDefinition,
} from "./layout.types.js";
import { type CheckedRow, checkRow } from "./validate-row.js";
import {
  CategoryIndex,
  type FieldPath,
  ProblemCollector,
  ProblemLimitReached,
  type ValidationContext,
} from "./validation-context.js";
import { checkVenueSeatNumbers } from "./venue-seat-numbers.js";

/**
 * Every way the layout breaks the rules, as INVALID_INPUT problems whose `field` is `path` and then the place in the
 * layout (["input", "layout", "sections", "1", "rows", "0", "count"]); empty when the layout can be expanded.
 * Stops after MAX_PROBLEMS problems, and never walks a row's seats before knowing the venue's total is in bounds.
 */
export function validateLayout(
  layout: LayoutDefinition,
  limits: LayoutLimits = DEFAULT_LAYOUT_LIMITS,
  path: readonly (string | number)[] = ["input", "layout"],
): Problem[] {
  const problems = new ProblemCollector(path);
  try {
    checkLayout(layout, limits, problems);
  } catch (error) {
    if (!(error instanceof ProblemLimitReached)) throw error;
  }
  return problems.problems;
}

function checkLayout(layout: LayoutDefinition, limits: LayoutLimits, problems: ProblemCollector): void {
  if (typeof layout !== "object" || layout === null) {
    problems.report([], "the layout must be an object with categories and sections");
    return;
  }
  const categories = checkCategories(layout.categories, limits, problems);
  const context: ValidationContext = { problems, categories, limits };
  const rows: CheckedRow[] = [];
  const sectionKeys = new Map<string, number>();
  const sections = checkList(layout.sections, ["sections"], ["section", "sections"], limits.maxSections, problems);
  sections.forEach((section, index) => {
    const key: unknown = section?.key;
    const earlier = typeof key === "string" ? sectionKeys.get(key) : undefined;
    if (earlier !== undefined) {
      const problem = `section key ${quote(key)} is already used by sections.${earlier}: section keys must be unique`;
      problems.report(["sections", index, "key"], problem);
    } else if (typeof key === "string") sectionKeys.set(key, index);
    rows.push(...checkSection(section, index, context));
  });
  let seats = 0;
  for (const row of rows) seats += row.size;
  if (seats > limits.maxSeats) {
    const problem = `the layout has ${seats.toLocaleString("en")} seats; a venue may have at most ${limits.maxSeats.toLocaleString("en")}`;
    problems.report(["sections"], problem);
  } else {
    checkVenueSeatNumbers(rows, problems);
  }
  checkCategoriesUsed(layout.categories, categories, problems);
}

/** A list the layout must have: at least one entry, at most `max`. Returns its entries, or none when it is no list. */
function checkList<T>(
  list: readonly T[],
  path: FieldPath,
  [one, many]: readonly [string, string],
  max: number,
  problems: ProblemCollector,
): readonly T[] {
  if (!Array.isArray(list)) {
    problems.report(path, `${many} must be a list of ${many}`);
    return [];
  }
  if (list.length === 0) problems.report(path, `there must be at least one ${one}`);
  if (list.length > max) problems.report(path, `there are ${list.length} ${many}; at most ${max} are allowed`);
  return list;
}

function checkCategories(
  categories: readonly CategoryDefinition[],
  limits: LayoutLimits,
  problems: ProblemCollector,
): CategoryIndex {
  const keys = new Map<string, number>();
  checkList(categories, ["categories"], ["category", "categories"], limits.maxCategories, problems).forEach(
    (category, index) => {
      const path = ["categories", index];
      if (!isObject(category, path, "a category must be an object with key, label and color", problems)) return;
      const keyProblemText = keyProblem(category.key, "category key");
      if (keyProblemText !== null) problems.report([...path, "key"], keyProblemText);
      else if (keys.has(category.key)) {
        const problem = `category key ${quote(category.key)} is already used by categories.${keys.get(category.key)}: keys must be unique`;
        problems.report([...path, "key"], problem);
      } else keys.set(category.key, index);
      reportIfAny(problems, [...path, "label"], labelProblem(category.label, "category label"));
      reportIfAny(problems, [...path, "color"], colorProblem(category.color, "category color"));
    },
  );
  return new CategoryIndex(new Set(keys.keys()));
}

/** Checks the section and its rows; returns the rows for the venue-wide checks. */
function checkSection(section: SectionDefinition, sectionIndex: number, context: ValidationContext): CheckedRow[] {
  const path = ["sections", sectionIndex];
  const { problems, categories, limits } = context;
  if (!isObject(section, path, "a section must be an object with key, label and rows", problems)) return [];
  reportIfAny(problems, [...path, "key"], keyProblem(section.key, "section key"));
  reportIfAny(problems, [...path, "label"], labelProblem(section.label, "section label"));
  if (section.seatPrefix != null) reportIfAny(problems, [...path, "seatPrefix"], seatPrefixProblem(section.seatPrefix));
  if (section.category != null) {
    reportIfAny(problems, [...path, "category"], categories.referenceProblem(section.category, "section category"));
  }
  if (section.x != null) reportIfAny(problems, [...path, "x"], coordinateProblem(section.x, "x"));
  if (section.y != null) reportIfAny(problems, [...path, "y"], coordinateProblem(section.y, "y"));
  const rowsPath = [...path, "rows"];
  const rows: CheckedRow[] = [];
  const labels = new Map<string, number>();
  checkList(section.rows, rowsPath, ["row", "rows"], limits.maxRowsPerSection, problems).forEach((row, index) => {
    const rowPath = [...rowsPath, index];
    if (!isObject(row, rowPath, "a row must be an object with a label and its seats", problems)) return;
    rows.push(checkRow(row, rowPath, section, sectionIndex, context));
    if (typeof row.label !== "string") return;
    const earlier = labels.get(row.label);
    if (earlier === undefined) labels.set(row.label, index);
    else {
      const problem = `row label ${quote(row.label)} is already used by rows.${earlier} of this section: row labels must be unique in a section`;
      problems.report([...rowPath, "label"], problem);
    }
  });
  checkSeatNumberLength(section, path, rows, problems);
  return rows;
}

/** Seat numbers are stored and printed on tickets: at most MAX_SEAT_NUMBER_LENGTH characters. Once per section. */
function checkSeatNumberLength(
  section: SectionDefinition,
  path: FieldPath,
  rows: CheckedRow[],
  problems: ProblemCollector,
) {
  let longest = "";
  for (const { stem, shape } of rows) {
    const example = stem !== null && shape !== null ? `${stem}${shape.last}` : "";
    if (example.length > longest.length) longest = example;
  }
  if (longest.length <= MAX_SEAT_NUMBER_LENGTH) return;
  const problem =
    `seat numbers of section ${quote(section.key)} would be up to ${longest.length} characters long ` +
    `(${quote(longest)}); at most ${MAX_SEAT_NUMBER_LENGTH} are allowed: shorten the seatPrefix or the row labels`;
  problems.report([...path, "seatPrefix"], problem);
}

/** A category no seat uses is almost always a mistake (a misspelt reference, a forgotten row). */
function checkCategoriesUsed(
  categories: readonly CategoryDefinition[],
  index: CategoryIndex,
  problems: ProblemCollector,
) {
  if (!Array.isArray(categories)) return;
  const reported = new Set<string>();
  categories.forEach((category, position) => {
    const key: unknown = category?.key;
    if (typeof key !== "string" || !index.keys.has(key) || index.used.has(key) || reported.has(key)) return;
    reported.add(key);
    const problem = `category ${quote(key)} is not used by any seat: give it to a section, row or seat, or remove it`;
    problems.report(["categories", position], problem);
  });
}

function isObject(value: unknown, path: FieldPath, message: string, problems: ProblemCollector): boolean {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return true;
  problems.report(path, message);
  return false;
}

function reportIfAny(problems: ProblemCollector, path: FieldPath, message: string | null): void {
  if (message !== null) problems.report(path, message);
}
