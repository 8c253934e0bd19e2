import { describe, expect, it } from "vitest";
import { MAX_RECORD_ID, parseRecordId, recordId } from "./record-id";

describe("record ids", () => {
  it("reads the ids Postgres can hold, from text or a number", () => {
    expect(parseRecordId("1")).toBe(1);
    expect(parseRecordId(" 42 ")).toBe(42);
    expect(parseRecordId(MAX_RECORD_ID)).toBe(MAX_RECORD_ID);
    expect(parseRecordId(String(MAX_RECORD_ID))).toBe(MAX_RECORD_ID);
  });

  it("names no row past Postgres's integer, at zero, or for anything but digits", () => {
    for (const value of [String(MAX_RECORD_ID + 1), "99999999999", "1e3", "0x10", "-1", "0", "", "1.5", "abc", MAX_RECORD_ID + 1, 0, 1.5, Number.NaN]) {
      expect(parseRecordId(value), String(value)).toBeNull();
    }
  });

  it("refuses such ids in a form with the message given", () => {
    expect(recordId().parse("7")).toBe(7);
    expect(recordId("Unknown prefix.").safeParse("99999999999").error?.issues[0]?.message).toBe("Unknown prefix.");
  });
});
