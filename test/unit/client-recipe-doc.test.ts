import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// docs/clients.md shows the client recipe's code: each TypeScript or GraphQL block must be copied from a file of
// examples/clients (which the client-recipe tests compile and run), so the page cannot drift from working code.

const ROOT = path.resolve(__dirname, "../..");
const DOC = path.join(ROOT, "docs/clients.md");
const RECIPE_DIR = path.join(ROOT, "examples/clients");

const recipeFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "gql" ? [] : recipeFiles(file);
    return /\.(ts|graphql)$/.test(entry.name) ? [file] : [];
  });

const doc = readFileSync(DOC, "utf8");
const blocks = [...doc.matchAll(/```(ts|graphql)\n([\s\S]*?)```/g)].map((match) => match[2]!);
const sources = recipeFiles(RECIPE_DIR).map((file) => ({ file, text: readFileSync(file, "utf8") }));

test("the page shows code", () => {
  expect(blocks.length).toBeGreaterThanOrEqual(5);
});

test.each(blocks.map((block) => [block.split("\n")[0]!.trim(), block]))(
  "the block starting %j is copied from examples/clients",
  (_firstLine, block) => {
    const from = sources.filter((source) => source.text.includes(block)).map((source) => source.file);
    expect(from).not.toEqual([]);
  },
);

test("every file the page links to exists", () => {
  const links = [...doc.matchAll(/\]\((\.\.\/[^)#]+)\)/g)].map((match) => match[1]!);
  expect(links.length).toBeGreaterThan(0);
  expect(links.filter((link) => !existsSync(path.resolve(path.dirname(DOC), link)))).toEqual([]);
});
