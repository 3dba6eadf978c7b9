import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { config as recipeCodegen } from "../../examples/clients/codegen";

// The client recipe as a client project would build it: client-preset codegen over the committed schema.graphql
// and the operations, then `tsc --strict` over the example clients with the generated code. The reference page's
// operations (web/operations/*.graphql, when there are any) go through the same codegen and compiler.

const ROOT = path.resolve(__dirname, "../..");
const RECIPE_DIR = path.join(ROOT, "examples/clients");
const WEB_OPERATIONS_DIR = path.join(ROOT, "web/operations");
// Inside the repository (test/artifacts is ignored), so that node_modules resolves as it does for examples/clients.
const WORK_DIR = path.join(ROOT, "test/artifacts", `client-recipe-${randomUUID().slice(0, 8)}`);
const RECIPE_OUTPUT = "examples/clients/gql/";

const run = promisify(execFile);

/** The output of the process `command`, or its exit code and output when it fails. */
async function runProcess(command: string[]): Promise<{ code: number; output: string }> {
  // Not NODE_ENV=test, under which codegen prints no details of its errors.
  const env = { ...process.env, NODE_ENV: "development" };
  try {
    const { stdout, stderr } = await run(process.execPath, command, { cwd: ROOT, env });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/**
 * The codegen CLI with the recipe's own settings (examples/clients/codegen.ts), writing each output directory (under
 * WORK_DIR) from its documents.
 */
async function codegen(outputs: Record<string, string[]>) {
  const output = recipeCodegen.generates[RECIPE_OUTPUT];
  if (!output) throw new Error(`examples/clients/codegen.ts no longer generates ${RECIPE_OUTPUT}`);
  const generates = Object.fromEntries(
    Object.entries(outputs).map(([dir, documents]) => [path.join(WORK_DIR, dir) + "/", { ...output, documents }]),
  );
  const file = path.join(WORK_DIR, `codegen-${Object.keys(outputs).join("-")}.json`);
  writeFileSync(file, JSON.stringify({ ...recipeCodegen, documents: undefined, hooks: undefined, generates }));
  return runProcess([path.join(ROOT, "node_modules/@graphql-codegen/cli/cjs/bin.js"), "--config", file]);
}

/** `tsc --noEmit --strict` over the .ts files of WORK_DIR. */
const typecheck = () => runProcess([path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", WORK_DIR]);

const webOperations = () =>
  existsSync(WEB_OPERATIONS_DIR) ? readdirSync(WEB_OPERATIONS_DIR).filter((file) => file.endsWith(".graphql")) : [];

/** What codegen printed for the recipe's and the page's operations (written to WORK_DIR/gql, WORK_DIR/web-gql). */
let generated: { code: number; output: string };

beforeAll(async () => {
  mkdirSync(WORK_DIR, { recursive: true });
  for (const file of readdirSync(RECIPE_DIR).filter((name) => name.endsWith(".ts"))) {
    copyFileSync(path.join(RECIPE_DIR, file), path.join(WORK_DIR, file));
  }
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "ES2022",
      lib: ["ES2022", "DOM"],
      module: "node16",
      moduleResolution: "node16",
      types: ["node"],
      skipLibCheck: true,
    },
    include: ["*.ts", "gql/*.ts", "web-gql/*.ts"],
  };
  writeFileSync(path.join(WORK_DIR, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  generated = await codegen({
    gql: ["examples/clients/operations/*.graphql"],
    ...(webOperations().length > 0 ? { "web-gql": ["web/operations/*.graphql"] } : {}),
  });
}, 60_000);
afterAll(() => rmSync(WORK_DIR, { recursive: true, force: true }));

test("the example clients type-check against the code generated from schema.graphql", async () => {
  expect(generated.code === 0 ? "" : generated.output).toBe("");
  const { code, output } = await typecheck();
  expect(output).toBe("");
  expect(code).toBe(0);
  expect(readdirSync(path.join(WORK_DIR, "gql")).sort()).toEqual(["gql.ts", "graphql.ts", "index.ts"]);
  if (webOperations().length > 0) expect(readdirSync(path.join(WORK_DIR, "web-gql"))).toContain("graphql.ts");
}, 60_000);

test("codegen refuses an operation with a field the schema does not have", async () => {
  const bad = path.join(WORK_DIR, "bad.graphql");
  writeFileSync(bad, "query Bad($id: ID!) { show(id: $id) { id seatColour } }\n");
  const { code, output } = await codegen({ "bad-gql": [bad] });
  expect(code).not.toBe(0);
  expect(output).toMatch(/Cannot query field "seatColour" on type "Show"/);
  expect(existsSync(path.join(WORK_DIR, "bad-gql"))).toBe(false);
}, 30_000);

test("tsc refuses a misuse of the generated types", async () => {
  // An enum literal the schema does not have, a variable of the wrong type, and both fields of the @oneOf seat
  // selection (the generated type allows `quantity` only without `seatNumbers`).
  writeFileSync(
    path.join(WORK_DIR, "misuse.ts"),
    [
      'import { type HoldSeatsInput, type SeatStatus, type ShowsQueryVariables } from "./gql/graphql";',
      'export const status: SeatStatus = "FREE";',
      'export const variables: ShowsQueryVariables = { first: "ten" };',
      'export const input: HoldSeatsInput = { showId: "1", seats: { seatNumbers: ["A1"], quantity: 1 } };',
      "",
    ].join("\n"),
  );
  const { code, output } = await typecheck();
  expect(code).not.toBe(0);
  const errors = output.split("\n").filter((line) => line.includes("error TS"));
  expect(errors).toEqual([
    expect.stringMatching(/\/misuse\.ts\(2,14\): error TS2322: Type '"FREE"' is not assignable to type 'SeatStatus'/),
    expect.stringMatching(/\/misuse\.ts\(3,49\): error TS2322: Type 'string' is not assignable to type 'number'/),
    expect.stringMatching(/\/misuse\.ts\(4,83\): error TS2322: Type 'number' is not assignable to type 'undefined'/),
  ]);
}, 60_000);
