import { NextResponse, type NextRequest } from "next/server";
import { config as settings } from "./lib/config";
import { contentSecurityPolicy, strictTransportSecurity } from "./lib/security-headers.mjs";

const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/**
 * Every page: its Content-Security-Policy with a fresh nonce, which Next.js reads from the
 * request's copy of the header and puts on its own scripts. Without a session, a redirect to
 * the sign-in page: only a convenience. Every page, action and route checks the session and
 * role itself (lib/server/action.ts, lib/server/route.ts, requireUser).
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({ nonce: Buffer.from(crypto.randomUUID()).toString("base64"), dev: process.env.NODE_ENV === "development" });
  let response: NextResponse;
  if (request.nextUrl.pathname === "/signin" || SESSION_COOKIES.some((name) => request.cookies.has(name))) {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", policy);
    response = NextResponse.next({ request: { headers } });
  } else {
    const signIn = new URL("/signin", request.url);
    const target = request.nextUrl.pathname + request.nextUrl.search;
    if (target !== "/") signIn.searchParams.set("next", target);
    response = NextResponse.redirect(signIn);
  }
  response.headers.set("Content-Security-Policy", policy);
  const hsts = strictTransportSecurity(settings().NEXTAUTH_URL);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // Pages only: API routes (whose bodies the proxy would buffer and cut at 10 MB), Next's
  // static files and the map's assets get their headers from next.config.mjs.
  // The icons and the web manifest (public/) are read without a session, by the browser itself.
  matcher: ["/((?!api/|_next/static/|_next/image|favicon\\.ico|icon\\.svg|manifest\\.webmanifest|maplibre|basemap).*)"],
};
