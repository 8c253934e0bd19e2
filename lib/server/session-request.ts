import "server-only";

/**
 * Body types a page on another site can send with a plain HTML form, without a CORS preflight:
 * a route never accepts them with a session cookie.
 */
export const FORM_CONTENT_TYPES: readonly string[] = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

export type SessionRequestVerdict = { ok: true } | { ok: false; message: string };

/** The media type of a Content-Type header, without its parameters: "application/json". */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function originOf(url: string | undefined): string | null {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Whether a mutating request that carries the console's session cookie comes from the
 * console's own pages (against cross-site request forgery: a page on another port of the same
 * host is the same *site*, so the browser sends it the cookie).
 *
 * Our origin is the console's public URL (NEXTAUTH_URL), or the Host the browser addressed:
 * a page cannot set Host or Origin on a request its browser sends, so an Origin naming the
 * Host is the browser saying "same origin" (Next.js checks its server actions this way).
 * X-Forwarded-Host is not consulted: behind a proxy, NEXTAUTH_URL names the public origin.
 */
export function checkSessionRequest(input: {
  headers: Headers;
  publicUrl: string | undefined;
  contentTypes: readonly string[];
}): SessionRequestVerdict {
  const { headers, publicUrl, contentTypes } = input;
  const origin = headers.get("origin");
  const fetchSite = headers.get("sec-fetch-site");
  const fromElsewhere = (where: string): SessionRequestVerdict => ({
    ok: false,
    message: `Refused: this request came from another site (${where}), not from the console's own pages. Scripts send an API token (Authorization: Bearer ...) instead of a session cookie.`,
  });
  if (fetchSite && fetchSite !== "same-origin") return fromElsewhere(`Sec-Fetch-Site: ${fetchSite}`);
  if (origin) {
    const sameOrigin = origin === originOf(publicUrl) || (origin !== "null" && hostOf(origin) === headers.get("host"));
    if (!sameOrigin) return fromElsewhere(origin.slice(0, 100));
  } else if (!fetchSite) {
    return {
      ok: false,
      message: "Refused: a request with a session cookie must come from the console's own pages (it names no Origin). Scripts send an API token (Authorization: Bearer ...).",
    };
  }
  // A request without a body (a DELETE from the console's own page) has no type to check.
  const hasBody = Number(headers.get("content-length") ?? 0) > 0 || headers.has("transfer-encoding");
  const type = mediaType(headers.get("content-type"));
  if (hasBody && !contentTypes.includes(type)) {
    return { ok: false, message: `Refused: with a session cookie this route takes a body of type ${contentTypes.join(" or ")}, not ${type || "none"}.` };
  }
  return { ok: true };
}
