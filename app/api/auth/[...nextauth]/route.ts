import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/server/auth/auth-options";
import { AppError } from "@/lib/server/errors";
import { readBody } from "@/lib/server/request-body";
import { errorResponse } from "@/lib/server/route";

type Context = { params: Promise<{ nextauth: string[] }> };

/** A sign-in or sign-out form is a few hundred bytes: anything past this is refused unread. */
const MAX_BODY_BYTES = 64 * 1024;

// next-auth's own endpoints: sign-in, callback, sign-out, CSRF. They create and end sessions;
// every other route checks the session through lib/server/route.ts. Anyone may post here, before
// signing in, and next-auth reads a body whole: so a POST is read here first, up to the limit,
// and next-auth gets that copy.
async function handler(request: NextRequest, context: Context) {
  if (request.method !== "POST") return NextAuth(request, context, authOptions());
  let body: Buffer;
  try {
    body = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof AppError) return errorResponse(error);
    throw error;
  }
  return NextAuth(new NextRequest(request.url, { method: "POST", headers: request.headers, body: new Uint8Array(body) }), context, authOptions());
}

export { handler as GET, handler as POST };
