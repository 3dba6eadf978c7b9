// ESLint (flat config) with typescript-eslint: the recommended rules, plus the project's own conventions.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import { plugin as project } from "./eslint-rules/declared-dependencies.mjs";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      ".data/",
      "coverage/",
      "src/generated/",
      "test/__generated__/",
      "examples/clients/gql/",
      "test/artifacts/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    // Resolver constructors' parameter types are read at run time (decorator metadata): keep those imports as values.
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
    rules: {
      // Unused parameters are allowed when prefixed with _ (resolver signatures).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports." }],
    },
  },
  {
    // Declared dependencies only: a package imported anywhere must be listed in package.json (an undeclared one works
    // only while another package happens to bring it in), and the server's code uses only `dependencies`, which are
    // all a production install has.
    files: ["**/*.{ts,js,mjs}"],
    ignores: ["web/**"],
    plugins: { project },
    rules: { "project/declared-dependencies": "error" },
  },
  {
    files: ["src/**/*.ts"],
    rules: { "project/declared-dependencies": ["error", { dependenciesOnly: true }] },
  },
  {
    // No file in src/ over ~300 lines: a bigger one is doing more than one job.
    files: ["src/**/*.ts"],
    rules: { "max-lines": ["error", { max: 300, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ["web/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  {
    // Tools that load these files want a default export.
    files: ["prisma.config.ts", "test/support/global-setup.ts", "test/support/global-teardown.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
  {
    // CommonJS files read by tools (jest's configuration and reporter).
    files: ["**/*.js"],
    ignores: ["web/**"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
