import "server-only";
import { config } from "@/lib/config";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { roleAtLeast, type Role } from "@/lib/domain/roles";
import type { Actor } from "./audit";
import { userFromApiToken, type ApiScope } from "./auth/api-token";
import { SESSION_COOKIES, userFromSessionToken } from "./auth/session";
import { clientIpFrom } from "./client-ip";
import { db } from "./db/client";
import { AppError, fromPrismaError, zodFieldErrors } from "./errors";
import { log } from "./log";
import { readBody } from "./request-body";
import { checkSessionRequest, FORM_CONTENT_TYPES } from "./session-request";

export type RouteUser = { id: string; username: string; role: Role };

type RouteConfig<Q extends z.ZodType, B extends z.ZodType> = {
  role: Role;
  /** An API token with this scope may call the route too; without it, only a browser session. */
  scope?: ApiScope;
  query?: Q;
  body?: B;
  /**
   * The body types a browser session may send to a mutating route (default application/json),
   * e.g. text/csv for an upload route that reads the raw file. Never a form's type (those need
   * no CORS preflight from another site). A request with an API token may send any.
   */
  contentTypes?: readonly string[];
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** A JSON body parsed through `body` is a small command, never a file. */
const MAX_JSON_BODY_BYTES = 1024 * 1024;

type RouteContext<P, Q extends z.ZodType, B extends z.ZodType> = {
  request: NextRequest;
  params: P;
  query: z.output<Q>;
  body: z.output<B>;
  user: RouteUser;
  actor: Actor;
  ip: string | null;
};

export function errorResponse(error: AppError): NextResponse {
  return NextResponse.json(
    {
      error: {
        code: error.code,
        message: error.message,
        ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
        ...(error.detail ? { detail: error.detail } : {}),
      },
    },
    { status: error.status },
  );
}

function bearerToken(request: NextRequest): string | null {
  const authorization = request.headers.get("authorization");
  return authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length).trim() : null;
}

function sessionCookie(request: NextRequest): string | undefined {
  return SESSION_COOKIES.map((name) => request.cookies.get(name)?.value).find(Boolean);
}

/**
 * A mutating request on a session cookie must come from the console's own pages, with a body
 * type a cross-site form cannot send; checked before anything is read or written.
 */
function refuseCrossSite(request: NextRequest, contentTypes: readonly string[]): void {
  if (SAFE_METHODS.has(request.method) || bearerToken(request) !== null || !sessionCookie(request)) return;
  const verdict = checkSessionRequest({ headers: request.headers, publicUrl: config().NEXTAUTH_URL, contentTypes });
  if (verdict.ok) return;
  log.warn(
    { event: "route.cross_site_refused", method: request.method, path: request.nextUrl.pathname, origin: request.headers.get("origin"), contentType: request.headers.get("content-type") },
    "refused a request on a session cookie that did not come from the console's own pages",
  );
  throw new AppError("forbidden", verdict.message);
}

async function authenticate(request: NextRequest, scope: ApiScope | undefined): Promise<RouteUser> {
  const token = bearerToken(request);
  if (token !== null) {
    const tokenUser = await userFromApiToken(db, token);
    if (!tokenUser) throw new AppError("unauthenticated", "The API token is unknown, expired or revoked.");
    if (!scope || !tokenUser.scopes.includes(scope)) {
      throw new AppError("forbidden", `This API token lacks the scope this route needs${scope ? ` (${scope})` : ""}.`);
    }
    return tokenUser;
  }
  const user = await userFromSessionToken(db, sessionCookie(request));
  if (!user) throw new AppError("unauthenticated", "Sign in, or send an API token as `Authorization: Bearer ...`.");
  return user;
}

async function readJson(request: NextRequest): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(request, MAX_JSON_BODY_BYTES));
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", "The request body is not valid JSON.");
  }
}

/**
 * Every route handler goes through here, in one order: parse, await params, check the
 * session or token and the role, run, respond. Failures become JSON errors with a code.
 */
export function defineRoute<P = Record<string, string>, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  config: RouteConfig<Q, B>,
  handler: (context: RouteContext<P, Q, B>) => Promise<Response | unknown>,
) {
  const contentTypes = (config.contentTypes ?? ["application/json"]).map((type) => type.toLowerCase());
  const formType = contentTypes.find((type) => FORM_CONTENT_TYPES.includes(type));
  if (formType) throw new TypeError(`defineRoute: ${formType} can be sent by another site's form; a session route may not accept it`);
  return async function route(request: NextRequest, segment: { params: Promise<P> }): Promise<Response> {
    try {
      refuseCrossSite(request, contentTypes);
      const params = await segment.params;
      const user = await authenticate(request, config.scope);
      if (!roleAtLeast(user.role, config.role)) {
        throw new AppError("forbidden", `This needs the ${config.role} role.`);
      }
      let query: unknown = undefined;
      if (config.query) {
        const parsed = config.query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
        if (!parsed.success) throw new AppError("invalid_input", "Invalid query parameters.", zodFieldErrors(parsed.error));
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (config.body) {
        const parsed = config.body.safeParse(await readJson(request));
        if (!parsed.success) throw new AppError("invalid_input", "Invalid request body.", zodFieldErrors(parsed.error));
        body = parsed.data;
      }
      const actor = { id: user.id, name: user.username };
      const ip = clientIpFrom(request.headers.get("x-forwarded-for"));
      const result = await handler({ request, params, query: query as z.output<Q>, body: body as z.output<B>, user, actor, ip });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (error) {
      const known = error instanceof AppError ? error : fromPrismaError(error);
      if (known) return errorResponse(known);
      log.error({ err: error, path: request.nextUrl.pathname }, "route handler failed");
      return errorResponse(new AppError("internal", "Something went wrong on the server. It has been logged."));
    }
  };
}
