// An ESLint rule of this project: every package a file imports is declared in package.json (an undeclared one works
// only while another package happens to bring it in), and, with `dependenciesOnly`, declared in `dependencies`, the
// only ones a production install has. Node's built-in modules and relative paths are not packages.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

const BUILTIN = new Set(builtinModules);

/** The package a module specifier names ("@scope/name" or "name"), or null for a path or a built-in module. */
function packageOf(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return null;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  return BUILTIN.has(name) ? null : name;
}

const manifests = new Map();
function manifest(cwd) {
  if (!manifests.has(cwd)) manifests.set(cwd, JSON.parse(readFileSync(path.join(cwd, "package.json"), "utf8")));
  return manifests.get(cwd);
}

export const declaredDependencies = {
  meta: {
    type: "problem",
    docs: { description: "Imports only packages that package.json declares (only `dependencies` where asked)." },
    schema: [{ type: "object", properties: { dependenciesOnly: { type: "boolean" } }, additionalProperties: false }],
    messages: {
      undeclared: "'{{name}}' should be listed in package.json (dependencies{{orDev}}): it is not declared.",
      devOnly: "'{{name}}' is in devDependencies, not dependencies: a production install does not have it.",
    },
  },
  create(context) {
    const dependenciesOnly = context.options[0]?.dependenciesOnly ?? false;
    const { dependencies = {}, devDependencies = {} } = manifest(context.cwd);
    const check = (source) => {
      if (!source || source.type !== "Literal" || typeof source.value !== "string") return;
      const name = packageOf(source.value);
      if (name === null || Object.hasOwn(dependencies, name)) return;
      if (!Object.hasOwn(devDependencies, name)) {
        context.report({
          node: source,
          messageId: "undeclared",
          data: { name, orDev: dependenciesOnly ? "" : " or devDependencies" },
        });
      } else if (dependenciesOnly) {
        context.report({ node: source, messageId: "devOnly", data: { name } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression: (node) => {
        if (node.callee.type === "Identifier" && node.callee.name === "require") check(node.arguments[0]);
        if (node.callee.type === "MemberExpression" && node.callee.object.name === "require") check(node.arguments[0]);
      },
    };
  },
};

export const plugin = { rules: { "declared-dependencies": declaredDependencies } };
