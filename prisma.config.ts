// Prisma CLI configuration (Prisma 7 reads the datasource URL from here, not from schema.prisma).
// The app applies migrations itself at start-up; with a downloadable schema engine,
// `npx prisma migrate status` / `migrate deploy` agree with what it recorded.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres:postgres@localhost:54329/booking" },
});
