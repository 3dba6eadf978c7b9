// Runs `prisma generate` on any machine.
//
// Every prisma CLI command first checks for the native schema engine and downloads it when missing, even though
// `generate` never uses it (the client is Rust-free). Where the engine's download host is unreachable that check
// fails, so unless the caller chose an engine we point the check at this Node binary, which exists everywhere.
// On machines that can download the engine the plain `npx prisma generate` keeps working as usual.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";

const result = spawnSync(process.execPath, [prismaCli, "generate", ...process.argv.slice(2)], {
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
