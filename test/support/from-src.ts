/**
 * Everything the integration and system tests (and the other support files) take from src/, in one place: when src/
 * is restructured, only these paths (and from-src-standalone.ts) change. Unit tests of single src functions import
 * them directly.
 */
export { createApp, SLOW_SUBSCRIBER_CLOSE_CODE, type App } from "../../src/app";
export { checkInvariants } from "../../src/bookings/invariants";
export { loadConfig, type Config } from "../../src/config";
export { startEmbeddedPostgres } from "./from-src-standalone";
export { migrate, MIGRATIONS_DIR, readMigrations } from "../../src/db/migrate";
export { createDatabase, type PrismaClient } from "../../src/db/prisma";
export { signToken, type Role } from "../../src/shared/auth";
export { createLogger, silentLogger, type Logger } from "../../src/shared/logger";
