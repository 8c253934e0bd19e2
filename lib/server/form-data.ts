// FormData to the plain object a zod schema reads. Dotted names nest: "upstreams.0.name"
// becomes { upstreams: [{ name }] } (rows removed in the browser leave no holes); a name
// given several times becomes an array.

type Nested = Record<string, unknown>;

function setPath(target: Nested, path: string[], value: unknown) {
  let node: Nested = target;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      node[key] = value;
      return;
    }
    node[key] ??= {};
    node = node[key] as Nested;
  });
}

/** Objects whose keys are all indices become arrays, in index order. */
function arraysFromIndices(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value).map(([key, child]) => [key, arraysFromIndices(child)] as const);
  if (entries.length > 0 && entries.every(([key]) => /^\d+$/.test(key))) {
    return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => child);
  }
  return Object.fromEntries(entries);
}

export function formDataToObject(formData: FormData): Record<string, unknown> {
  const object: Nested = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).map((value) => (typeof value === "string" ? value : value));
    setPath(object, key.split("."), values.length > 1 ? values : values[0]);
  }
  return arraysFromIndices(object) as Record<string, unknown>;
}
