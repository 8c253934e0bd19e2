// Field readers shared by the parsers. Each returns a value or a reason the operator can act on.

export type Field<T> = { ok: true; value: T } | { ok: false; reason: string };

// Measurements before 2000 or after 2100 are typing mistakes (often milliseconds for seconds).
const EARLIEST_SECONDS = Date.UTC(2000, 0, 1) / 1000;
const LATEST_SECONDS = Date.UTC(2100, 0, 1) / 1000;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** A number, or a string holding one (CSV gives strings). Blank and absent are `null`. */
export function optionalNumber(value: unknown, name: string): Field<number | null> {
  if (value === undefined || value === null || value === "") return { ok: true, value: null };
  const number = typeof value === "number" ? value : typeof value === "string" && DECIMAL.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(number)) return { ok: false, reason: `${name} is not a number (${quote(value)})` };
  return { ok: true, value: number };
}

/** Unix seconds, as Atlas writes `timestamp`. */
export function unixSeconds(value: unknown, name: string): Field<Date> {
  const seconds = optionalNumber(value, name);
  if (!seconds.ok) return seconds;
  if (seconds.value === null) return { ok: false, reason: `${name} is missing` };
  if (seconds.value < EARLIEST_SECONDS || seconds.value >= LATEST_SECONDS) {
    const milliseconds = seconds.value / 1000 >= EARLIEST_SECONDS && seconds.value / 1000 < LATEST_SECONDS;
    const hint = milliseconds ? " (milliseconds? Unix seconds expected)" : "";
    return { ok: false, reason: `${name} ${seconds.value} is not a time between 2000 and 2100${hint}` };
  }
  return { ok: true, value: new Date(seconds.value * 1000) };
}

/** Unix seconds, or an ISO 8601 date and time with a zone ("2026-03-01T12:00:00Z"). */
export function timestamp(value: unknown, name: string): Field<Date> {
  if (typeof value === "string" && value.trim() && !DECIMAL.test(value.trim())) {
    const text = value.trim();
    const date = ISO_8601.test(text) ? new Date(text) : null;
    if (!date || Number.isNaN(date.getTime())) {
      return { ok: false, reason: `${name} ${quote(value)} is neither Unix seconds nor an ISO 8601 time with a zone` };
    }
    return unixSeconds(date.getTime() / 1000, name);
  }
  return unixSeconds(value, name);
}

export function latitudeLongitude(lat: unknown, lon: unknown): Field<{ lat: number; lon: number } | null> {
  const latitude = optionalNumber(lat, "lat");
  if (!latitude.ok) return latitude;
  const longitude = optionalNumber(lon, "lon");
  if (!longitude.ok) return longitude;
  if (latitude.value === null && longitude.value === null) return { ok: true, value: null };
  if (latitude.value === null || longitude.value === null) return { ok: false, reason: "lat and lon go together: one is missing" };
  if (Math.abs(latitude.value) > 90) return { ok: false, reason: `lat ${latitude.value} is outside -90..90` };
  if (Math.abs(longitude.value) > 180) return { ok: false, reason: `lon ${longitude.value} is outside -180..180` };
  return { ok: true, value: { lat: latitude.value, lon: longitude.value } };
}

/** A probe id: a positive integer (Atlas) or, for uploads, any short non-blank text. */
export function probeId(value: unknown, name: string): Field<string> {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!text) return { ok: false, reason: `${name} is missing` };
  if (text.length > 64) return { ok: false, reason: `${name} is longer than 64 characters` };
  return { ok: true, value: text };
}

/** ISO 3166-1 alpha-2; blank and absent are `null`. */
export function countryCode(value: unknown): Field<string | null> {
  if (value === undefined || value === null || value === "") return { ok: true, value: null };
  if (typeof value !== "string" || !/^[A-Za-z]{2}$/.test(value.trim())) {
    return { ok: false, reason: `country ${quote(value)} is not a two-letter country code` };
  }
  return { ok: true, value: value.trim().toUpperCase() };
}

const QUOTED_CHARACTERS = 60;

/** A value as JSON for a reason the operator reads, cut short: a record may hold a megabyte of it. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > QUOTED_CHARACTERS ? `${text.slice(0, QUOTED_CHARACTERS)}…` : text;
}
