import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "./csv";

describe("csvField", () => {
  it("leaves plain text alone", () => {
    expect(csvField("admin")).toBe("admin");
    expect(csvField("")).toBe("");
    expect(csvField("it's fine")).toBe("it's fine");
  });

  it("quotes a comma, a quote, CR or LF, doubling quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField('"')).toBe('""""');
  });

  it("defuses formulas: a leading = + - @ tab or CR gets an apostrophe", () => {
    expect(csvField("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+31 20 123")).toBe("'+31 20 123");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("\r=1")).toBe("\"'\r=1\"");
    // Only the first character counts.
    expect(csvField("a=1")).toBe("a=1");
    expect(csvField("2001:db8::1")).toBe("2001:db8::1");
  });
});

describe("csvRecord", () => {
  it("writes numbers as they are, text through csvField, null as empty, and ends with CRLF", () => {
    expect(csvRecord(["FRA1", -12, null, "=cmd", 0.85])).toBe("FRA1,-12,,'=cmd,0.85\r\n");
  });
});
