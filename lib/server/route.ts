import "server-only";
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

export type RouteUser = { id: string; username: string; role: Role };

type RouteConfig<Q extends z.ZodType, B extends z.ZodType> = {
  role: Role;
  /** An API token with this scope may call the route too; without it, only a browser session. */
  scope?: ApiScope;
  query?: Q;
  body?: B;
};

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

async function authenticate(request: NextRequest, scope: ApiScope | undefined): Promise<RouteUser> {
  const authorization = request.headers.get("authorization");
  if (authorization?.startsWith("Bearer ")) {
    const tokenUser = await userFromApiToken(db, authorization.slice("Bearer ".length).trim());
    if (!tokenUser) throw new AppError("unauthenticated", "The API token is unknown, expired or revoked.");
    if (!scope || !tokenUser.scopes.includes(scope)) {
      throw new AppError("forbidden", `This API token lacks the scope this route needs${scope ? ` (${scope})` : ""}.`);
    }
    return tokenUser;
  }
  const cookie = SESSION_COOKIES.map((name) => request.cookies.get(name)?.value).find(Boolean);
  const user = await userFromSessionToken(db, cookie);
  if (!user) throw new AppError("unauthenticated", "Sign in, or send an API token as `Authorization: Bearer ...`.");
  return user;
}

async function readJson(request: NextRequest): Promise<unknown> {
  try {
    return await request.json();
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
  return async function route(request: NextRequest, segment: { params: Promise<P> }): Promise<Response> {
    try {
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
