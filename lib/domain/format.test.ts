import { afterEach, describe, expect, it } from "vitest";
import { formatUtc, formatUtcHourMinute, formatUtcLabel } from "./format";

describe("times are shown in UTC whatever the browser's zone and locale", () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("formats a chart's axis, its tooltip and a table's time in UTC, in an operator's browser in Auckland", () => {
    process.env.TZ = "Pacific/Auckland";
    const at = "2026-11-26T10:30:05.000Z";
    expect(new Date(at).getHours()).not.toBe(10);
    expect(formatUtcHourMinute(at)).toBe("10:30");
    expect(formatUtcLabel(at)).toBe("2026-11-26 10:30 UTC");
    expect(formatUtc(new Date(at))).toBe("2026-11-26 10:30:05");
  });
});
