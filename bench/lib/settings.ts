import { parseArgs } from "node:util";
import { FAN_OUT_TARGET_SUBSCRIBERS } from "./targets";

// The run's options (bench/README.md lists them) and the sizes they imply: full by default, small with --smoke.
const SCENARIOS = "flash,explicit,hot,seed,contention,reads,fanout,scaleout,outbox,stored,venue";
export const { values: args } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    big: { type: "boolean", default: false },
    seconds: { type: "string" },
    users: { type: "string" },
    "pool-size": { type: "string", default: "20" },
    "seat-map-staleness": { type: "string", default: "0" },
    subscribers: { type: "string" },
    "subscriptions-per-connection": { type: "string" },
    "fanout-rate": { type: "string" },
    only: { type: "string" },
    "pg-stats": { type: "boolean", default: false },
    "node-args": { type: "string" },
  },
});
export const only = new Set((args.only ?? SCENARIOS).split(","));
export const smoke = args.smoke!;
export const seconds = Number(args.seconds ?? (smoke ? 2 : 20));
export const shortSeconds = Math.min(seconds, smoke ? 2 : 10);
export const flashUsers = (args.users ?? (smoke ? "8" : "8,64,256")).split(",").map(Number);
export const headlineUsers = flashUsers.includes(64) ? 64 : flashUsers[0]!;
export const flashLayout = smoke ? { rows: 20, seatsPerRow: 100 } : { rows: 200, seatsPerRow: 100 };
export const mapLayout = smoke ? { rows: 10, seatsPerRow: 100 } : { rows: 100, seatsPerRow: 100 };
export const subscribers = Number(args.subscribers ?? (smoke ? 200 : FAN_OUT_TARGET_SUBSCRIBERS));
export const perConnection = Number(args["subscriptions-per-connection"] ?? (smoke ? 20 : 50));
export const fanOutRate = Number(args["fanout-rate"] ?? (smoke ? 20 : 5));
export const HOLD_TTL_SECONDS = 120;
export const apiEnv = {
  DATABASE_POOL_SIZE: args["pool-size"]!,
  HOLD_TTL_SECONDS: String(HOLD_TTL_SECONDS),
  SEAT_MAP_CACHE_STALENESS_MS: args["seat-map-staleness"]!,
  // Every simulated buyer and reader connects from this machine: per-address caps would measure the caps, not the
  // API (the per-address request limiter still runs, with a ceiling no run reaches).
  MAX_HELD_SEATS_PER_ADDRESS: "0",
  RATE_LIMIT_IP_ROWS: "0",
  RATE_LIMIT_IP_POINTS: "100000000",
};
