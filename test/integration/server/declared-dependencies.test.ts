import { spawnSync } from "node:child_process";
import path from "node:path";

/**
 * The lint rule that keeps imports to declared packages (eslint.config.mjs, run by `npm run check:lint` in CI), on
 * probe files that are linted as if they stood in the repository: it must fire on an import no package.json entry
 * covers, and on a devDependency imported by the server's code. (No database: here because it lints whole folders'
 * rules, not one function.) ESLint runs as `npm run check:lint` runs it, in a process of its own.
 */

const ROOT = path.resolve(__dirname, "../../..");
const ESLINT = path.join(ROOT, "node_modules/eslint/bin/eslint.js");

function extraneous(filePath: string, code: string): string[] {
  const run = spawnSync(process.execPath, [ESLINT, "--format", "json", "--stdin", "--stdin-filename", filePath], {
    cwd: ROOT,
    input: code,
    encoding: "utf8",
  });
  if (!run.stdout.startsWith("[")) throw new Error(`eslint failed: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result!.messages
    .filter((message) => message.ruleId === "project/declared-dependencies")
    .map((message) => message.message);
}

describe("declared dependencies only", () => {
  // graphql-yoga is installed (render-graphiql's peer) but this project does not declare it.
  const undeclared = 'import { createYoga } from "graphql-yoga";\nexport const yoga = createYoga;\n';

  it("refuses a package that package.json does not list, in the server, tests, bench and scripts", () => {
    for (const file of ["src/probe.ts", "test/probe.test.ts", "bench/probe.ts", "prisma/probe.mjs"]) {
      expect(extraneous(file, undeclared)).toEqual([expect.stringMatching(/'graphql-yoga' should be listed/)]);
    }
  });

  it("refuses a devDependency in the server's code, and allows it in tests", () => {
    const devOnly = 'import fc from "fast-check";\nexport const arbitrary = fc;\n';
    expect(extraneous("src/probe.ts", devOnly)).toEqual([
      expect.stringMatching(/in devDependencies, not dependencies/),
    ]);
    expect(extraneous("test/probe.test.ts", devOnly)).toEqual([]);
    expect(extraneous("src/probe.ts", 'import express from "express";\nexport const app = express;\n')).toEqual([]);
  });
});
