/**
 * Validates a value against the subset of JSON Schema (2020-12) that agent/openapi.json uses,
 * for the contract tests. A keyword it does not know throws: the document cannot grow a
 * constraint the tests silently skip.
 */

export type JsonSchema = { [keyword: string]: unknown };

const ANNOTATIONS = new Set(["description", "title", "format", "$schema"]);
const KNOWN = new Set([
  ...ANNOTATIONS,
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "not",
  "items",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === "integer") return Number.isInteger(value);
  return typeOf(value) === type;
}

export function validateJsonSchema(schema: JsonSchema, value: unknown, resolveRef: (ref: string) => JsonSchema, at = "$"): string[] {
  const unknownKeywords = Object.keys(schema).filter((keyword) => !KNOWN.has(keyword));
  if (unknownKeywords.length > 0) throw new Error(`${at}: schema keyword(s) not supported by the contract check: ${unknownKeywords.join(", ")}`);
  const errors: string[] = [];
  const check = (sub: unknown, inner: unknown, where: string) => validateJsonSchema(sub as JsonSchema, inner, resolveRef, where);

  if (typeof schema.$ref === "string") errors.push(...check(resolveRef(schema.$ref), value, at));
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => hasType(value, type))) errors.push(`${at}: expected ${types.join(" or ")}, got ${typeOf(value)}`);
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if ("const" in schema && schema.const !== value) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.anyOf !== undefined && !(schema.anyOf as unknown[]).some((sub) => check(sub, value, at).length === 0)) {
    errors.push(`${at}: matches none of anyOf`);
  }
  if (schema.oneOf !== undefined) {
    const matches = (schema.oneOf as unknown[]).map((sub) => check(sub, value, at));
    const passing = matches.filter((result) => result.length === 0).length;
    if (passing !== 1) errors.push(`${at}: matches ${passing} of oneOf (${matches.flat().join("; ")})`);
  }
  if (schema.not !== undefined && check(schema.not, value, at).length === 0) errors.push(`${at}: must not be present or match`);

  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) errors.push(`${at}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) errors.push(`${at}: longer than ${schema.maxLength}`);
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: does not match ${schema.pattern}`);
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) errors.push(`${at}: not a date-time`);
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) errors.push(`${at}: below ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) errors.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items !== undefined) value.forEach((item, index) => errors.push(...check(schema.items, item, `${at}[${index}]`)));
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) errors.push(`${at}.${key}: required`);
    for (const [key, inner] of Object.entries(object)) {
      if (key in properties) errors.push(...check(properties[key], inner, `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}.${key}: not in the schema`);
      else if (typeof schema.additionalProperties === "object") errors.push(...check(schema.additionalProperties, inner, `${at}.${key}`));
    }
  }
  return errors;
}
