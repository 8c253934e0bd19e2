import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat } from "./detect-format";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");

describe("detectFormat", () => {
  it.each([
    ["atlas-results.json", "atlas"],
    ["atlas-results.ndjson", "atlas"],
    ["atlas-probes.json", "atlas-probes"],
    ["atlas-probes-array.json", "atlas-probes"],
    ["measurements.ndjson", "ndjson"],
    ["measurements.csv", "csv"],
  ])("%s is %s", (name, format) => {
    expect(detectFormat(fixture(name))).toBe(format);
  });

  it("sees through a byte-order mark, leading blank lines and a quoted CSV header", () => {
    expect(detectFormat('\ufeff\n\n  [{"msm_id": 1, "prb_id": 2}]')).toBe("atlas");
    expect(detectFormat('"probe_id","answer","timestamp"\n')).toBe("csv");
  });

  it("refuses anything else with one clear message", () => {
    expect(() => detectFormat(fixture("unknown-format.csv"))).toThrow(/^Unrecognised input: .*pass --format/);
    expect(() => detectFormat(fixture("pops.json"))).toThrow(/^Unrecognised input/);
    expect(() => detectFormat("\u0000\u0001binary")).toThrow(/^Unrecognised input/);
    expect(() => detectFormat("   \n")).toThrow(/empty/);
  });
});
