import { type AxeViolation } from "../../test/support/browser";
import { type ContrastCheck } from "./measure";

// The page benchmark's results and their Markdown report, with the issue's targets and the numbers measured before
// the canvas map (the audit of the DOM-button page, same machine class, headless Chromium, --disable-gpu).

export interface Summary {
  median: number | null;
  min: number | null;
  max: number | null;
  /** Measurements under Event Timing's 16 ms threshold (not reported by the browser). */
  under16: number;
}

export interface PageResults {
  date: string;
  seats: number;
  loads: number;
  loadAverage: { before: number; after: number };
  cpus: number;
  firstPaintMs: Summary;
  clickToPaintMs: Summary;
  throttledTapToPaintMs: Summary;
  throttledFirstPaintMs: Summary;
  idleFps: Summary;
  panFps: Summary;
  phoneSeatPixels: number;
  axe: { signedOut: AxeViolation[]; holding: AxeViolation[] };
  contrast: ContrastCheck[];
}

/** Median, min and max; a null (under 16 ms, unreported) counts as 16 ms, an upper bound. */
export function summarise(values: (number | null)[]): Summary {
  const numbers = values.map((v) => v ?? 16).sort((a, b) => a - b);
  if (numbers.length === 0) return { median: null, min: null, max: null, under16: 0 };
  const middle = Math.floor(numbers.length / 2);
  const median = numbers.length % 2 ? numbers[middle]! : (numbers[middle - 1]! + numbers[middle]!) / 2;
  return {
    median: round(median),
    min: round(numbers[0]!),
    max: round(numbers.at(-1)!),
    under16: values.filter((v) => v === null).length,
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

function spread(summary: Summary, unit: string): string {
  if (summary.median === null) return "–";
  const under = summary.under16 ? ` (${summary.under16} under 16 ms, counted as 16)` : "";
  return `${summary.median} ${unit} (${summary.min}–${summary.max})${under}`;
}

export function pageReport(r: PageResults): string {
  const contrastFailures = r.contrast.filter((c) => c.ratio < c.needed);
  const axeCount = (list: AxeViolation[]) => list.reduce((n, v) => n + v.nodes, 0);
  const met = (ok: boolean) => (ok ? "yes" : "**no**");
  const rows = [
    [
      "first paint of the map",
      "1.2–1.4 s",
      spread(r.firstPaintMs, "ms"),
      "≤ 500 ms",
      met((r.firstPaintMs.median ?? Infinity) <= 500),
    ],
    [
      "click to paint (Event Timing, 1440×900)",
      "272–296 ms",
      spread(r.clickToPaintMs, "ms"),
      "≤ 50 ms",
      met((r.clickToPaintMs.median ?? Infinity) <= 50),
    ],
    [
      "tap to paint, 4× CPU throttle, 390×844 DPR 2",
      "5.7–10.6 s",
      spread(r.throttledTapToPaintMs, "ms"),
      "≤ 200 ms",
      met((r.throttledTapToPaintMs.median ?? Infinity) <= 200),
    ],
    ["idle frame rate", "12 fps", spread(r.idleFps, "fps"), "60 fps", met((r.idleFps.median ?? 0) >= 59.5)],
    [
      "frame rate while panning",
      "12 fps (scrolling)",
      spread(r.panFps, "fps"),
      "60 fps",
      met((r.panFps.median ?? 0) >= 59.5),
    ],
    [
      "axe-core violations (signed out; holding)",
      "1; 1",
      `${axeCount(r.axe.signedOut)}; ${axeCount(r.axe.holding)}`,
      "0; 0",
      met(axeCount(r.axe.signedOut) + axeCount(r.axe.holding) === 0),
    ],
    ["palette contrast failures", "5", String(contrastFailures.length), "0", met(contrastFailures.length === 0)],
    [
      "seat size at the phone's default zoom",
      "16 px",
      `${round(r.phoneSeatPixels)} px`,
      "≥ 24 px",
      met(r.phoneSeatPixels >= 24),
    ],
  ];
  const lines = [
    `# Seat-map page at ${r.seats.toLocaleString("en")} seats`,
    "",
    `${r.date}; median of ${r.loads} fresh load(s) per measure; headless Chromium, --disable-gpu; ${r.cpus} CPUs, load average ${r.loadAverage.before.toFixed(2)} before and ${r.loadAverage.after.toFixed(2)} after. Reproduce: \`npm run bench:page\`.`,
    "",
    "| measure | before (DOM buttons) | now (canvas) | target | met |",
    "|---|---|---|---|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    `First paint with 4× CPU throttle on the phone: ${spread(r.throttledFirstPaintMs, "ms")}.`,
    "",
    "## Contrast (web/js/palette.json)",
    "",
    "| pair | ratio | needed |",
    "|---|---|---|",
    ...r.contrast.map((c) => `| ${c.what} | ${c.ratio}:1 | ${c.needed}:1 |`),
  ];
  for (const [state, list] of [
    ["signed out", r.axe.signedOut],
    ["holding", r.axe.holding],
  ] as const) {
    if (list.length)
      lines.push("", `axe violations (${state}): ${list.map((v) => `${v.id} ×${v.nodes} (${v.help})`).join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}
