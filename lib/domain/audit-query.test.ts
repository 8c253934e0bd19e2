import { describe, expect, it } from "vitest";
import {
  AUDIT_CSV_HEADER,
  auditCsv,
  auditCsvFilename,
  auditQuery,
  auditSearchParams,
  describeAuditDetail,
  parseTimeBound,
  readAuditQuery,
  TIME_HINT,
  type AuditCsvRow,
} from "./audit-query";

const iso = (date: Date | undefined) => date?.toISOString();

describe("parseTimeBound", () => {
  it("reads a date as the whole UTC day", () => {
    const bound = parseTimeBound("2026-11-25");
    expect(iso(bound?.start)).toBe("2026-11-25T00:00:00.000Z");
    expect(iso(bound?.end)).toBe("2026-11-26T00:00:00.000Z");
  });

  it("reads a datetime-local value as the whole minute, seconds as the whole second", () => {
    const minute = parseTimeBound("2026-11-25T14:30");
    expect([iso(minute?.start), iso(minute?.end)]).toEqual(["2026-11-25T14:30:00.000Z", "2026-11-25T14:31:00.000Z"]);
    const second = parseTimeBound("2026-11-25 14:30:05");
    expect([iso(second?.start), iso(second?.end)]).toEqual(["2026-11-25T14:30:05.000Z", "2026-11-25T14:30:06.000Z"]);
    const milli = parseTimeBound("2026-11-25T14:30:05.250");
    expect([iso(milli?.start), iso(milli?.end)]).toEqual(["2026-11-25T14:30:05.250Z", "2026-11-25T14:30:05.251Z"]);
  });

  it("honours an explicit zone", () => {
    expect(iso(parseTimeBound("2026-11-25T14:30:00Z")?.start)).toBe("2026-11-25T14:30:00.000Z");
    expect(iso(parseTimeBound("2026-11-25T14:30+02:00")?.start)).toBe("2026-11-25T12:30:00.000Z");
    expect(iso(parseTimeBound("2026-11-25T00:30-05:30")?.start)).toBe("2026-11-25T06:00:00.000Z");
  });

  it("refuses what is not a real date or time", () => {
    for (const text of ["", "yesterday", "25/11/2026", "2026-02-30", "2026-13-01", "2026-11-25T24:00", "2026-11-25T14:60", "0099-01-01", "2026-11-25Z", "2026-11-25T14:30+25:00", "1732540000"]) {
      expect(parseTimeBound(text), text).toBeNull();
    }
  });
});

describe("auditQuery", () => {
  it("takes every filter, normalising case", () => {
    const query = auditQuery.parse({ pop: " ams1 ", user: "admin", action: "Auth.", from: "2026-11-01", to: "2026-11-25T14:30", cursor: "1234" });
    expect(query).toMatchObject({ pop: "AMS1", user: "admin", action: "auth.", cursor: 1234n });
    expect(iso(query.from?.start)).toBe("2026-11-01T00:00:00.000Z");
    expect(iso(query.to?.end)).toBe("2026-11-25T14:31:00.000Z");
  });

  it("treats empty form fields as no filter", () => {
    expect(auditQuery.parse({ pop: "", user: "  ", action: "", from: "", to: "", cursor: "" })).toEqual({
      pop: undefined,
      user: undefined,
      action: undefined,
      from: undefined,
      to: undefined,
      cursor: undefined,
    });
  });

  it("ignores a malformed PoP, action, cursor or repeated parameter instead of failing", () => {
    const query = auditQuery.parse({ pop: "AMS 1; drop", action: "auth.%", cursor: "-3", user: ["a", "b"], extra: "x" });
    expect(query).toEqual({ pop: undefined, user: undefined, action: undefined, from: undefined, to: undefined, cursor: undefined });
    expect(auditQuery.parse({ cursor: "99999999999999999999" }).cursor).toBeUndefined();
    expect(auditQuery.parse({ cursor: "9223372036854775808" }).cursor).toBeUndefined();
    expect(auditQuery.parse({ cursor: "9223372036854775807" }).cursor).toBe(9223372036854775807n);
  });

  it("makes an unparseable time a field error", () => {
    const result = auditQuery.safeParse({ from: "last tuesday" });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ["from"], message: TIME_HINT })]);
  });

  it("makes `to` before `from` an error on `to`, but allows one day as both", () => {
    const result = auditQuery.safeParse({ from: "2026-11-25", to: "2026-11-24T23:59" });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ["to"] })]);
    expect(auditQuery.safeParse({ from: "2026-11-25", to: "2026-11-25" }).success).toBe(true);
    expect(auditQuery.safeParse({ from: "2026-11-25T10:00", to: "2026-11-25" }).success).toBe(true);
  });
});

describe("readAuditQuery", () => {
  it("never fails: it drops a bad time, keeps what was typed and says why", () => {
    const { query, errors, values } = readAuditQuery({ pop: "fra1", from: "soon", to: "2026-11-25" });
    expect(query.pop).toBe("FRA1");
    expect(query.from).toBeUndefined();
    expect(query.to?.text).toBe("2026-11-25");
    expect(errors).toEqual({ from: TIME_HINT });
    expect(values).toEqual({ pop: "FRA1", user: "", action: "", from: "soon", to: "2026-11-25" });
  });

  it("keeps `from` and drops `to` when they are the wrong way round", () => {
    const { query, errors } = readAuditQuery({ from: "2026-11-25", to: "2026-11-01" });
    expect(query.from?.text).toBe("2026-11-25");
    expect(query.to).toBeUndefined();
    expect(Object.keys(errors)).toEqual(["to"]);
  });

  it("has no errors for a clean query", () => {
    expect(readAuditQuery({}).errors).toEqual({});
  });
});

describe("auditSearchParams", () => {
  it("carries the filters as typed, and the cursor only when asked", () => {
    const query = auditQuery.parse({ pop: "ams1", action: "pop.", from: "2026-11-25", cursor: "77" });
    expect(String(auditSearchParams(query))).toBe("pop=AMS1&action=pop.&from=2026-11-25");
    expect(String(auditSearchParams(query, 41n))).toBe("pop=AMS1&action=pop.&from=2026-11-25&cursor=41");
  });
});

const row = (extra: Partial<AuditCsvRow>): AuditCsvRow => ({
  at: new Date("2026-11-25T14:30:05.123Z"),
  actorName: "admin",
  action: "pop.update",
  targetType: "pop",
  targetId: "AMS1",
  popCode: "AMS1",
  ip: "192.0.2.10",
  detail: { changed: {} },
  ...extra,
});

describe("auditCsv", () => {
  it("starts with the header line, even with no rows", () => {
    expect(auditCsv([])).toBe("time,actor,action,target_type,target_id,pop,ip,detail\r\n");
    expect(AUDIT_CSV_HEADER).toBe("time,actor,action,target_type,target_id,pop,ip,detail\r\n");
  });

  it("writes one CRLF-terminated record per row, columns in header order, ISO times in UTC, detail as compact JSON", () => {
    const csv = auditCsv([row({})]);
    expect(csv.split("\r\n")).toEqual([
      "time,actor,action,target_type,target_id,pop,ip,detail",
      '2026-11-25T14:30:05.123Z,admin,pop.update,pop,AMS1,AMS1,192.0.2.10,"{""changed"":{}}"',
      "",
    ]);
  });

  it("keeps the rows in the order given", () => {
    const rows = [3, 2, 1].map((n) => row({ targetId: `T${n}` }));
    const ids = auditCsv(rows).trimEnd().split("\r\n").slice(1).map((line) => line.split(",")[4]);
    expect(ids).toEqual(["T3", "T2", "T1"]);
  });

  it("writes missing values as empty fields", () => {
    const csv = auditCsv([row({ targetType: null, targetId: null, popCode: null, ip: null, detail: {}, action: "auth.sign_out" })]);
    expect(csv.split("\r\n")[1]).toBe("2026-11-25T14:30:05.123Z,admin,auth.sign_out,,,,,{}");
  });

  it("survives hostile values: a formula as user name, newlines and quotes in the detail", () => {
    const csv = auditCsv([
      row({ actorName: '=cmd|" /C calc"!A0', action: "auth.sign_in_failed", targetType: null, targetId: null, popCode: null, detail: { reason: 'line one\r\nline "two", three' } }),
      row({ actorName: "viewer", ip: "-1" }),
    ]);
    expect(csv).toBe(
      AUDIT_CSV_HEADER +
        '2026-11-25T14:30:05.123Z,"\'=cmd|"" /C calc""!A0",auth.sign_in_failed,,,,192.0.2.10,"{""reason"":""line one\\r\\nline \\""two\\"", three""}"\r\n' +
        '2026-11-25T14:30:05.123Z,viewer,pop.update,pop,AMS1,AMS1,\'-1,"{""changed"":{}}"\r\n',
    );
    expect(parseCsv(csv)).toEqual([
      ["time", "actor", "action", "target_type", "target_id", "pop", "ip", "detail"],
      ["2026-11-25T14:30:05.123Z", '\'=cmd|" /C calc"!A0', "auth.sign_in_failed", "", "", "", "192.0.2.10", JSON.stringify({ reason: 'line one\r\nline "two", three' })],
      ["2026-11-25T14:30:05.123Z", "viewer", "pop.update", "pop", "AMS1", "AMS1", "'-1", '{"changed":{}}'],
    ]);
  });

  it("round-trips a raw newline in a field through an RFC 4180 reader", () => {
    const csv = auditCsv([row({ actorName: "two\nlines, and \"quotes\"" })]);
    expect(parseCsv(csv)[1]?.[1]).toBe('two\nlines, and "quotes"');
  });
});

describe("auditCsvFilename", () => {
  it("names the file after the UTC minute", () => {
    expect(auditCsvFilename(new Date("2026-01-05T07:09:59Z"))).toBe("catchment-audit-20260105-0709.csv");
  });
});

describe("describeAuditDetail", () => {
  it("lists the changed fields of a PoP update", () => {
    const detail = { changed: { capacityGbps: { from: 100, to: 250 }, status: { from: "active", to: "maintenance" } }, agentSecretRotated: true, upstreams: { before: 1, after: 2 } };
    expect(describeAuditDetail("pop.update", detail)).toBe("capacityGbps 100 → 250; status active → maintenance; agent secret rotated; upstreams 1 → 2");
    expect(describeAuditDetail("pop.update", { changed: {}, agentSecretRotated: false, upstreams: { before: 2, after: 2 } })).toBe("no field changed");
  });

  it("puts the reason first, e.g. for an override", () => {
    expect(describeAuditDetail("operation.override", { prefix: "192.0.2.0/24", overrideReason: "fibre cut, floor waived", ticket: "NOC-7" })).toBe(
      "overrideReason: fibre cut, floor waived · ticket: NOC-7 · prefix: 192.0.2.0/24",
    );
    expect(describeAuditDetail("auth.sign_in_failed", { method: "password", reason: "wrong credentials" })).toBe("reason: wrong credentials · method: password");
  });

  it("shows the filter of an export", () => {
    expect(describeAuditDetail("audit.export", { filter: { pop: "AMS1", action: "pop." } })).toBe("filter pop=AMS1 action=pop.");
    expect(describeAuditDetail("audit.export", { filter: {} })).toBe("whole log");
  });

  it("stays short for big or odd details", () => {
    expect(describeAuditDetail("demo.seed", { note: "x".repeat(500) }).length).toBeLessThanOrEqual(240);
    expect(describeAuditDetail("x", {})).toBe("");
    expect(describeAuditDetail("x", null)).toBe("");
    expect(describeAuditDetail("x", { tags: ["a", "b"], gone: null })).toBe("tags: [a, b] · gone: none");
  });
});

/** A small RFC 4180 reader, to check that what we write reads back as written. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += char;
  }
  return records;
}
