// The ids of rows Postgres numbers itself: `integer`, 1 to 2^31 - 1. A larger number names no
// row, and handed to the database it is an error ("out of range"), which would reach the user as
// a server error instead of "not found". Every id read from a URL or a form goes through here.
import { z } from "zod";

export const MAX_RECORD_ID = 2_147_483_647;

/** The id a URL segment, form field or JSON number names, or null when it can name no row. */
export function parseRecordId(value: string | number): number | null {
  const id = typeof value === "number" ? value : /^\d{1,10}$/.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isInteger(id) && id > 0 && id <= MAX_RECORD_ID ? id : null;
}

/** A form's or query's record id, refused as `message` when it can name no row. */
export function recordId(message = "There is no such record.") {
  return z.union([z.string(), z.number()]).transform((value, context) => {
    const id = parseRecordId(value);
    if (id === null) {
      context.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    return id;
  });
}
