import { uniqueUser } from "./factories";

/**
 * Settings for box-office tests: holds last long enough that a test lapses them only when it wants to (in SQL), and
 * the per-user rate limit, per-address caps and re-hold cool-down are off (one admin and one machine send it all).
 */
export const BOX_OFFICE_SETTINGS = {
  HOLD_TTL_SECONDS: "300",
  RATE_LIMIT_USER_POINTS: "0",
  MAX_HELD_SEATS_PER_ADDRESS: "0",
  REHOLD_COOLDOWN_SECONDS: "0",
} as const;

/** A fresh admin per call (rate limits and the audit log count per user). */
export const admin = () => ({ as: uniqueUser("admin"), role: "admin" as const });
