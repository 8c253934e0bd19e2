import { NextResponse } from "next/server";
import { databaseAnswers } from "@/lib/server/database-health";

/**
 * Whether the console's database answers, for the error page and for load balancers. Not
 * through defineRoute: it needs no session, since it tells nothing else (no host, no message).
 */
export async function GET(): Promise<Response> {
  const ok = await databaseAnswers();
  return NextResponse.json({ database: ok ? "ok" : "unreachable" }, { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
