// The browser's one way to read the console's JSON API: the parsed body, or an Error carrying
// the message the route wrote ({ error: { message } }), or the HTTP status when it wrote none.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** The error a route answered with, as the operator should read it. */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return new ApiError(status, typeof message === "string" && message ? message : `The console answered HTTP ${status}.`);
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw apiErrorOf(response.status, body);
  return body as T;
}
