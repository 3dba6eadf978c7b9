// Writes schema.graphql from the type-graphql classes (`npm run schema`). Needs no database.
import "reflect-metadata";
import { buildSchema, SCHEMA_FILE } from "../graphql/schema.js";

buildSchema(
  {
    get: () => {
      throw new Error("no resolver instances are needed to print the schema");
    },
  },
  { emitSchemaFile: SCHEMA_FILE },
)
  .then(() => console.log(`wrote ${SCHEMA_FILE}`))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
