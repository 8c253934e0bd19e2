// CSV files the console writes (RFC 4180, CRLF), safe to open in a spreadsheet.

/**
 * One text field. Text a spreadsheet would run as a formula (a failed sign-in's user name is
 * whatever an attacker typed) gets a leading apostrophe; then RFC 4180 quoting.
 */
export function csvField(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

/** One record: numbers as they are (a number is never a formula), text through csvField, null empty. */
export function csvRecord(values: readonly (string | number | null)[]): string {
  return values.map((value) => (value === null ? "" : typeof value === "number" ? String(value) : csvField(value))).join(",") + "\r\n";
}
