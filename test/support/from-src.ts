/**
 * Everything the integration and system tests (and the other support files) take from src/, in one place: when src/
 * is restructured, only these paths (and from-src-standalone.ts) change. Unit tests of single src functions import
 * them directly.
 */
export { createApp, type App } from "../../src/server/http";
export { SLOW_SUBSCRIBER_CLOSE_CODE } from "../../src/server/subscriber-budget";
export { checkInvariants } from "../../src/bookings/invariants";
export { loadConfig, type Config } from "../../src/platform/config";
export { startEmbeddedPostgres } from "./from-src-standalone";
export { migrate, MIGRATIONS_DIR, readMigrations } from "../../src/db/migrate";
export { createDatabase, Prisma, type PrismaClient } from "../../src/db/prisma";
export { preparedSqlClient } from "../../src/db/sql-client";
export { signToken } from "../../src/platform/jwt";
export { type Role } from "../../src/domain/viewer";
export { SeatStatus } from "../../src/domain/seat-change";
export { createLogger, silentLogger, type Logger } from "../../src/platform/logger";
export { allocateBest, type Allocation, type AllocationGrid, type SeatPick } from "../../src/bookings/allocation";
export { parseGlobalId, toGlobalId } from "../../src/graphql/global-id";
