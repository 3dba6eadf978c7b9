import fc from "fast-check";
import {
  type LocalDateTime,
  canonicalTimeZone,
  formatLocalDateTime,
  formatOffsetDateTime,
  instantToLocal,
  isTimeZone,
  localToInstant,
  offsetMinutes,
  parseLocalDateTime,
} from "../../src/domain/time-zone";

const HOUR_MS = 3_600_000;

function local(text: string): LocalDateTime {
  const parsed = parseLocalDateTime(text);
  if (parsed === null) throw new Error(`test fixture is not a local time: ${text}`);
  return parsed;
}

/** The instant, or the problem's name, as a string that reads well in a failing expectation. */
function resolve(text: string, zone: string): string {
  const result = localToInstant(local(text), zone);
  return "instant" in result ? result.instant.toISOString() : result.problem;
}

describe("time zone names", () => {
  it("accepts IANA names Intl knows, in any case", () => {
    for (const name of ["Europe/Vienna", "UTC", "America/New_York", "Asia/Kathmandu", "Etc/GMT+2", "europe/vienna"]) {
      expect(isTimeZone(name)).toBe(true);
    }
  });

  it("rejects empty, made-up and padded names, and bare offsets", () => {
    for (const name of ["", "Mars/Base", "Europe/Vienna ", " UTC", "+02:00", "-05:00", "+0200", "\u221202:00", "Z"]) {
      expect(isTimeZone(name)).toBe(false);
    }
  });

  it("gives Intl's spelling of a name, or null", () => {
    expect(canonicalTimeZone("europe/vienna")).toBe("Europe/Vienna");
    expect(canonicalTimeZone("AMERICA/NEW_YORK")).toBe("America/New_York");
    expect(canonicalTimeZone("utc")).toBe("UTC");
    expect(canonicalTimeZone("Mars/Base")).toBeNull();
    expect(canonicalTimeZone("+02:00")).toBeNull();
  });

  it("knows every zone Intl lists, well past the formatter cache's bound", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    expect(zones.length).toBeGreaterThan(64);
    const now = new Date("2027-06-01T12:00:00Z");
    for (const zone of zones) {
      expect(isTimeZone(zone)).toBe(true);
      expect(localToInstant(instantToLocal(now, zone), zone)).toEqual({ instant: now });
    }
  });
});

describe("local date-times", () => {
  it("reads minutes and seconds forms", () => {
    const expected = { year: 2027, month: 3, day: 1, hour: 19, minute: 30, second: 0 };
    expect(parseLocalDateTime("2027-03-01T19:30")).toEqual(expected);
    expect(parseLocalDateTime("2027-03-01T19:30:00")).toEqual(expected);
    expect(parseLocalDateTime("2027-12-31T23:59:59")).toEqual({
      ...expected,
      month: 12,
      day: 31,
      hour: 23,
      minute: 59,
      second: 59,
    });
  });

  it("knows leap days", () => {
    expect(parseLocalDateTime("2028-02-29T12:00")).not.toBeNull();
    expect(parseLocalDateTime("2000-02-29T12:00")).not.toBeNull();
    expect(parseLocalDateTime("2027-02-29T12:00")).toBeNull();
    expect(parseLocalDateTime("2100-02-29T12:00")).toBeNull();
  });

  it("refuses times off the calendar or the clock", () => {
    const off = ["2027-02-30T12:00", "2027-04-31T12:00", "2027-13-01T12:00", "2027-00-10T12:00", "2027-01-00T12:00"];
    const offClock = ["2027-03-01T24:00", "2027-03-01T23:60", "2027-03-01T23:59:60"];
    for (const text of [...off, ...offClock]) expect(parseLocalDateTime(text)).toBeNull();
  });

  it("refuses offsets, Z, other separators and other precisions", () => {
    const texts = [
      "",
      "2027-03-01T19:30Z",
      "2027-03-01T19:30:00+01:00",
      "2027-03-01 19:30",
      "2027-03-01t19:30",
      "2027-3-1T19:30",
      "2027-03-01T19",
      "2027-03-01T19:30:00.000",
      "2027-03-01",
      " 2027-03-01T19:30",
    ];
    for (const text of texts) expect(parseLocalDateTime(text)).toBeNull();
  });

  it("writes seconds always and pads every field", () => {
    expect(formatLocalDateTime(local("2027-03-01T19:30"))).toBe("2027-03-01T19:30:00");
    expect(formatLocalDateTime(local("0042-01-02T03:04:05"))).toBe("0042-01-02T03:04:05");
    expect(formatLocalDateTime({ year: -1, month: 1, day: 1, hour: 0, minute: 0, second: 0 })).toBe(
      "-000001-01-01T00:00:00",
    );
  });
});

describe("wall-clock times and instants", () => {
  const zones = ["Europe/Vienna", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"];
  // Every wall-clock time of 2027 each half hour (Lord Howe's DST is 30 minutes, so whole hours would miss half of it).
  const start = Date.UTC(2027, 0, 1);
  const steps = (365 * 24 * HOUR_MS) / (HOUR_MS / 2);
  const gaps: Record<string, string[]> = {
    "Europe/Vienna": ["2027-03-28T02:00:00", "2027-03-28T02:30:00"],
    "America/New_York": ["2027-03-14T02:00:00", "2027-03-14T02:30:00"],
    "Australia/Lord_Howe": ["2027-10-03T02:00:00"],
    "Asia/Kathmandu": [],
  };

  it.each(zones)("takes every wall-clock time of 2027 in %s to an instant showing it, except the DST gap", (zone) => {
    const nonexistent: string[] = [];
    for (let step = 0; step < steps; step++) {
      const wall = new Date(start + (step * HOUR_MS) / 2);
      const text = wall.toISOString().slice(0, 19);
      const result = localToInstant(local(text), zone);
      if ("problem" in result) nonexistent.push(text);
      else expect(formatLocalDateTime(instantToLocal(result.instant, zone))).toBe(text);
    }
    expect(nonexistent).toEqual(gaps[zone]);
  });

  it.each(zones)("takes every half hour of 2027 in %s back to itself, or to the first of a repeated time", (zone) => {
    const laterOfRepeated: string[] = [];
    for (let step = 0; step < steps; step++) {
      const instant = new Date(start + (step * HOUR_MS) / 2);
      const wall = instantToLocal(instant, zone);
      const back = localToInstant(wall, zone);
      if (!("instant" in back)) throw new Error(`${instant.toISOString()} in ${zone} showed a nonexistent time`);
      if (back.instant.getTime() !== instant.getTime()) {
        expect(back.instant.getTime()).toBeLessThan(instant.getTime());
        expect(instantToLocal(back.instant, zone)).toEqual(wall);
        laterOfRepeated.push(formatLocalDateTime(wall));
      }
    }
    const repeated: Record<string, string[]> = {
      "Europe/Vienna": ["2027-10-31T02:00:00", "2027-10-31T02:30:00"],
      "America/New_York": ["2027-11-07T01:00:00", "2027-11-07T01:30:00"],
      "Australia/Lord_Howe": ["2027-04-04T01:30:00"],
      "Asia/Kathmandu": [],
    };
    expect(laterOfRepeated).toEqual(repeated[zone]);
  });

  it("calls a time skipped by clocks springing forward NONEXISTENT", () => {
    expect(resolve("2027-03-28T02:30", "Europe/Vienna")).toBe("NONEXISTENT");
    expect(resolve("2027-03-14T02:59:59", "America/New_York")).toBe("NONEXISTENT");
    expect(resolve("2027-10-03T02:15", "Australia/Lord_Howe")).toBe("NONEXISTENT");
    // The edges of the gap exist.
    expect(resolve("2027-03-28T01:59:59", "Europe/Vienna")).toBe("2027-03-28T00:59:59.000Z");
    expect(resolve("2027-03-28T03:00", "Europe/Vienna")).toBe("2027-03-28T01:00:00.000Z");
    expect(resolve("2027-10-03T02:30", "Australia/Lord_Howe")).toBe("2027-10-02T15:30:00.000Z");
  });

  it("gives the earlier instant of a time repeated by clocks falling back", () => {
    expect(resolve("2027-10-31T02:30", "Europe/Vienna")).toBe("2027-10-31T00:30:00.000Z");
    expect(resolve("2027-11-07T01:30", "America/New_York")).toBe("2027-11-07T05:30:00.000Z");
    expect(resolve("2027-04-04T01:45", "Australia/Lord_Howe")).toBe("2027-04-03T14:45:00.000Z");
  });

  it("uses each date's own offset, including 30 and 45 minute ones and past changes", () => {
    expect(offsetMinutes(new Date("2027-01-15T12:00:00Z"), "Europe/Vienna")).toBe(60);
    expect(offsetMinutes(new Date("2027-07-15T12:00:00Z"), "Europe/Vienna")).toBe(120);
    expect(offsetMinutes(new Date("2027-01-15T12:00:00Z"), "America/New_York")).toBe(-300);
    expect(offsetMinutes(new Date("2027-07-15T12:00:00Z"), "Australia/Lord_Howe")).toBe(630);
    expect(offsetMinutes(new Date("2027-01-15T12:00:00Z"), "Australia/Lord_Howe")).toBe(660);
    expect(offsetMinutes(new Date("2027-01-15T12:00:00Z"), "Asia/Kolkata")).toBe(330);
    // Nepal moved from +05:30 to +05:45 in 1986.
    expect(offsetMinutes(new Date("1985-06-01T00:00:00Z"), "Asia/Kathmandu")).toBe(330);
    expect(offsetMinutes(new Date("2027-06-01T00:00:00Z"), "Asia/Kathmandu")).toBe(345);
    expect(resolve("1985-06-01T05:30", "Asia/Kathmandu")).toBe("1985-06-01T00:00:00.000Z");
    // Vienna kept local mean time, +01:05:21, until 1893.
    expect(offsetMinutes(new Date("1850-01-01T00:00:00Z"), "Europe/Vienna")).toBeCloseTo(65.35, 10);
    expect(resolve("1850-01-01T01:05:21", "Europe/Vienna")).toBe("1850-01-01T00:00:00.000Z");
  });

  it("drops milliseconds and keeps two-digit years as they are", () => {
    expect(formatLocalDateTime(instantToLocal(new Date("2027-03-01T18:30:59.999Z"), "Europe/Vienna"))).toBe(
      "2027-03-01T19:30:59",
    );
    expect(resolve("0050-06-01T12:00", "UTC")).toBe("0050-06-01T12:00:00.000Z");
    expect(formatLocalDateTime(instantToLocal(new Date("0050-06-01T12:00:00Z"), "UTC"))).toBe("0050-06-01T12:00:00");
    expect(instantToLocal(new Date(Date.UTC(-5, 0, 1)), "UTC")).toMatchObject({ year: -5, month: 1, day: 1 });
  });

  it("refuses unknown zones, invalid dates and times off the calendar", () => {
    const now = new Date("2027-01-01T00:00:00Z");
    expect(() => instantToLocal(now, "Mars/Base")).toThrow(RangeError);
    expect(() => offsetMinutes(now, "+02:00")).toThrow(RangeError);
    expect(() => localToInstant(local("2027-01-01T00:00"), "Mars/Base")).toThrow(RangeError);
    expect(() => instantToLocal(new Date(Number.NaN), "UTC")).toThrow(RangeError);
    const february30 = { year: 2027, month: 2, day: 30, hour: 12, minute: 0, second: 0 };
    expect(() => localToInstant(february30, "UTC")).toThrow(RangeError);
  });

  it("round-trips random instants from 1900 to 2100 in many zones", () => {
    const anyZone = fc.constantFrom(...zones, "Asia/Kolkata", "Pacific/Apia", "America/St_Johns", "UTC");
    const anySecond = fc.integer({ min: Date.UTC(1900, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 });
    fc.assert(
      fc.property(anyZone, anySecond, (zone, second) => {
        const instant = new Date(second * 1000);
        const wall = instantToLocal(instant, zone);
        const back = localToInstant(wall, zone);
        if (!("instant" in back)) return false;
        return (
          back.instant <= instant &&
          formatLocalDateTime(instantToLocal(back.instant, zone)) === formatLocalDateTime(wall)
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe("RFC 3339 with offsets", () => {
  const cases: [string, string, string][] = [
    ["2027-03-01T18:30:00Z", "Europe/Vienna", "2027-03-01T19:30:00+01:00"],
    ["2027-07-01T17:30:00Z", "Europe/Vienna", "2027-07-01T19:30:00+02:00"],
    ["2027-07-05T00:00:00Z", "America/New_York", "2027-07-04T20:00:00-04:00"],
    ["2027-01-01T00:00:00Z", "Asia/Kathmandu", "2027-01-01T05:45:00+05:45"],
    ["2027-07-01T00:00:00Z", "Australia/Lord_Howe", "2027-07-01T10:30:00+10:30"],
    ["2027-01-01T12:00:00Z", "America/St_Johns", "2027-01-01T08:30:00-03:30"],
    ["2027-01-01T12:00:00Z", "UTC", "2027-01-01T12:00:00+00:00"],
    // Both instants of Vienna's repeated 02:30, told apart by their offsets.
    ["2027-10-31T00:30:00Z", "Europe/Vienna", "2027-10-31T02:30:00+02:00"],
    ["2027-10-31T01:30:00Z", "Europe/Vienna", "2027-10-31T02:30:00+01:00"],
    ["2027-03-01T18:30:00.250Z", "Europe/Vienna", "2027-03-01T19:30:00.250+01:00"],
  ];

  it.each(cases)("writes %s in %s as %s, which parses back to it", (iso, zone, expected) => {
    const instant = new Date(iso);
    expect(formatOffsetDateTime(instant, zone)).toBe(expected);
    expect(new Date(expected).getTime()).toBe(instant.getTime());
  });

  it("rounds a local mean time offset to the minute and shifts the time with it", () => {
    const instant = new Date("1850-01-01T00:00:00Z");
    expect(formatOffsetDateTime(instant, "Europe/Vienna")).toBe("1850-01-01T01:05:00+01:05");
  });
});
