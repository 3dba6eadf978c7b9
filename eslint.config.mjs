// ESLint (flat config) with typescript-eslint: the recommended rules, plus the project's own conventions.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/", "dist/", ".data/", "coverage/", "src/generated/", "test/__generated__/", "test/artifacts/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // Unused parameters are allowed when prefixed with _ (resolver signatures).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
      ],
    },
  },
  {
    // The API is read through its main entry and the test helpers; scripts may print.
    files: ["web/**/*.js"],
    languageOptions: { globals: { window: "readonly", document: "readonly", sessionStorage: "readonly", fetch: "readonly", location: "readonly", history: "readonly", console: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", crypto: "readonly", URL: "readonly", URLSearchParams: "readonly", requestAnimationFrame: "readonly", ResizeObserver: "readonly", matchMedia: "readonly", performance: "readonly", navigator: "readonly", HTMLElement: "readonly", Event: "readonly", CustomEvent: "readonly", Date: "readonly" } },
  },
);
