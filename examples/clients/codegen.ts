import { type CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents for the client recipe (run from the repository root: `npm run codegen`). The schema is the
 * committed schema.graphql, not the endpoint: production servers turn introspection off.
 */
export const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["examples/clients/operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "examples/clients/gql/": {
      preset: "client",
      // Fragments as plain types (no `useFragment` unmasking): these examples read fragment fields directly.
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: "string", JSONObject: "Record<string, unknown>" },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
  hooks: { afterAllFileWrite: ["prettier --write"] },
};

// eslint-disable-next-line no-restricted-syntax -- graphql-codegen takes its configuration from the default export
export default config;
