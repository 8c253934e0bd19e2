// The audit log's filters (from the page's or the export's query string), its CSV form,
// and the one-line summary of an entry's detail that the log page shows.
import { csvField } from "./csv";
import { z } from "zod";

/** A time an operator typed, read as UTC: the span it names, `start` inclusive, `end` exclusive. */
export type TimeBound = { text: string; start: Date; end: Date };

const TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

const DAY_MS = 86_400_000;

/**
 * "2026-11-25" names the whole day, "2026-11-25T14:30" the whole minute, and so on, so that
 * `to=2026-11-25` includes that day. No zone means UTC, the zone the log is shown in.
 */
export function parseTimeBound(input: string): TimeBound | null {
  const text = input.trim();
  const match = TIME_PATTERN.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0)] as const;
  const local = new Date(Date.UTC(...fields, fraction ? Math.round(Number(fraction) * 1000) : 0));
  // Date.UTC rolls 2026-02-30 over into March and maps years below 100 to 19xx: refuse both.
  const roundTrip = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()];
  if (roundTrip.some((value, index) => value !== fields[index])) return null;
  let offsetMs = 0;
  if (zone && zone.toUpperCase() !== "Z") {
    const [hours, minutes] = zone.slice(1).split(":").map(Number) as [number, number];
    if (hours > 23 || minutes > 59) return null;
    offsetMs = (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  const span = hour === undefined ? DAY_MS : fraction ? 1 : second !== undefined ? 1000 : 60_000;
  const start = new Date(local.getTime() - offsetMs);
  return { text, start, end: new Date(start.getTime() + span) };
}

export const TIME_HINT = "Enter a date like 2026-11-25 or a time like 2026-11-25T14:30 (UTC).";

const timeBound = z
  .string({ error: TIME_HINT })
  .max(40, TIME_HINT)
  .transform((text, context) => {
    if (text.trim() === "") return undefined;
    const bound = parseTimeBound(text);
    if (!bound) {
      context.addIssue({ code: "custom", message: TIME_HINT });
      return z.NEVER;
    }
    return bound;
  })
  .optional();

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * The audit log's filters. A malformed PoP, user, action or cursor is ignored (a link pasted
 * wrong still shows the log); an unparseable time, or `to` before `from`, is a field error.
 */
export const auditQuery = z
  .object({
    pop: z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{1,16}$/).optional().catch(undefined),
    user: z.string().trim().min(1).max(100).optional().catch(undefined),
    /** A prefix: "auth." matches auth.sign_in, auth.sign_out, ... */
    action: z.string().trim().toLowerCase().regex(/^[a-z0-9_.]{1,64}$/).optional().catch(undefined),
    from: timeBound,
    to: timeBound,
    /** The id of the last row shown: the next page starts after it. */
    cursor: z
      .string()
      .regex(/^[1-9][0-9]{0,18}$/)
      .transform(BigInt)
      .refine((id) => id <= MAX_BIGINT)
      .optional()
      .catch(undefined),
  })
  .superRefine((query, context) => {
    if (query.from && query.to && query.to.end <= query.from.start) {
      context.addIssue({ code: "custom", path: ["to"], message: "“To” is before “From”." });
    }
  });

export type AuditQuery = z.output<typeof auditQuery>;
export type AuditQueryField = "pop" | "user" | "action" | "from" | "to";

/**
 * For the page: never fails. A field with an error is left out of the query and its message
 * kept, and the form shows what was typed there so it can be corrected.
 */
export function readAuditQuery(raw: Record<string, unknown>): {
  query: AuditQuery;
  errors: Partial<Record<AuditQueryField, string>>;
  values: Record<AuditQueryField, string>;
} {
  const parsed = auditQuery.safeParse(raw);
  const errors: Partial<Record<AuditQueryField, string>> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "") as AuditQueryField;
      errors[field] ??= issue.message;
    }
  }
  const query = parsed.success ? parsed.data : auditQuery.parse(Object.fromEntries(Object.entries(raw).filter(([key]) => !(key in errors))));
  const typed = (field: AuditQueryField) => (typeof raw[field] === "string" ? (raw[field] as string) : "");
  return {
    query,
    errors,
    values: {
      pop: query.pop ?? "",
      user: query.user ?? "",
      action: query.action ?? "",
      from: errors.from ? typed("from") : (query.from?.text ?? ""),
      to: errors.to ? typed("to") : (query.to?.text ?? ""),
    },
  };
}

/** The filters (not the cursor) as plain values: for links, and for the audit.export entry. */
export function auditFilterValues(query: AuditQuery): Partial<Record<AuditQueryField, string>> {
  const values: Partial<Record<AuditQueryField, string>> = {};
  if (query.pop) values.pop = query.pop;
  if (query.user) values.user = query.user;
  if (query.action) values.action = query.action;
  if (query.from) values.from = query.from.text;
  if (query.to) values.to = query.to.text;
  return values;
}

export function auditSearchParams(query: AuditQuery, cursor?: bigint): URLSearchParams {
  const params = new URLSearchParams(auditFilterValues(query));
  if (cursor !== undefined) params.set("cursor", String(cursor));
  return params;
}

// ---- CSV (RFC 4180) ----

export type AuditCsvRow = {
  at: Date;
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  popCode: string | null;
  ip: string | null;
  detail: unknown;
};

export const AUDIT_CSV_HEADER = "time,actor,action,target_type,target_id,pop,ip,detail\r\n";

export function auditCsvRecord(row: AuditCsvRow): string {
  const fields = [row.at.toISOString(), row.actorName, row.action, row.targetType ?? "", row.targetId ?? "", row.popCode ?? "", row.ip ?? "", JSON.stringify(row.detail ?? {})];
  return fields.map(csvField).join(",") + "\r\n";
}

/** The whole file, rows in the order given (the log's order: newest first). */
export function auditCsv(rows: Iterable<AuditCsvRow>): string {
  let csv = AUDIT_CSV_HEADER;
  for (const row of rows) csv += auditCsvRecord(row);
  return csv;
}

/** catchment-audit-YYYYMMDD-HHMM.csv, in UTC. */
export function auditCsvFilename(now: Date): string {
  const iso = now.toISOString();
  return `catchment-audit-${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 16).replace(":", "")}.csv`;
}

// ---- What the log page shows of an entry's detail ----

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function plain(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "string") return shorten(value, 80);
  if (Array.isArray(value)) return shorten(`[${value.map(plain).join(", ")}]`, 80);
  return shorten(JSON.stringify(value), 80);
}

function popUpdateSummary(detail: JsonObject): string[] {
  const parts = isObject(detail.changed)
    ? Object.entries(detail.changed).map(([field, change]) => (isObject(change) ? `${field} ${plain(change.from)} → ${plain(change.to)}` : `${field} changed`))
    : [];
  if (detail.agentSecretRotated === true) parts.push("agent secret rotated");
  const upstreams = detail.upstreams;
  if (isObject(upstreams) && upstreams.before !== upstreams.after) parts.push(`upstreams ${plain(upstreams.before)} → ${plain(upstreams.after)}`);
  return parts.length ? parts : ["no field changed"];
}

// Shown first, in this order, when an entry has them: they say why something was done.
const LEADING_KEYS = ["reason", "overrideReason", "override", "ticket", "method"];

/** A short readable line for the log table; the CSV carries the full JSON. */
export function describeAuditDetail(action: string, detail: unknown): string {
  if (!isObject(detail)) return detail === null || detail === undefined ? "" : plain(detail);
  if (action === "pop.update") return shorten(popUpdateSummary(detail).join("; "), 240);
  if (action === "audit.export") {
    const filter = isObject(detail.filter) ? Object.entries(detail.filter).map(([key, value]) => `${key}=${plain(value)}`) : [];
    return filter.length ? `filter ${filter.join(" ")}` : "whole log";
  }
  const keys = [...LEADING_KEYS.filter((key) => key in detail), ...Object.keys(detail).filter((key) => !LEADING_KEYS.includes(key))];
  return shorten(keys.map((key) => `${key}: ${plain(detail[key])}`).join(" · "), 240);
}
