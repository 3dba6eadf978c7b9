// Prints a JWT for the configured secret (with JWT_ISSUER / JWT_AUDIENCE when set):
// `npm run token -- --role admin --sub alice [--hours 12]`.
import { parseArgs } from "node:util";
import { type Role } from "../domain/viewer.js";
import { loadConfig } from "../platform/config.js";
import { resolveJwtSecret, signToken } from "../platform/jwt.js";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: "string", default: "user" },
      sub: { type: "string" },
      hours: { type: "string", default: "12" },
    },
  });
  const role = values.role as Role;
  if (role !== "admin" && role !== "user") throw new Error('--role must be "admin" or "user"');
  const sub = values.sub ?? (role === "admin" ? "admin" : "user");
  const hours = Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0) throw new Error("--hours must be a positive number");
  const config = loadConfig();
  const seconds = Math.round(hours * 3600);
  const { maxTokenLifetimeSeconds, issuer, audience } = config.auth;
  if (seconds > maxTokenLifetimeSeconds)
    throw new Error(`--hours: the API refuses tokens valid for more than ${maxTokenLifetimeSeconds / 3600} h`);
  const { secret } = await resolveJwtSecret(config);
  console.log(signToken(secret, { sub, role }, seconds, { issuer, audience }));
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
