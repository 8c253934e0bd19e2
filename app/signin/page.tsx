import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { oidcConfig } from "@/lib/server/auth/config";
import { signInTarget } from "@/lib/domain/sign-in-target";
import { getCurrentUser } from "@/lib/server/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

function signInError(code: string | undefined): string | null {
  if (code === "AccessDenied") return "This account is disabled. Ask an admin.";
  if (code === "OAuthCallback" || code === "OAuthSignin" || code === "Callback") return "Single sign-on failed. Try again or use a password.";
  return null;
}

type Query = { next?: string | string[]; error?: string | string[] };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Query> }) {
  const query = await searchParams;
  const next = signInTarget(typeof query.next === "string" ? query.next : undefined);
  const error = typeof query.error === "string" ? query.error : undefined;
  if (await getCurrentUser()) redirect(next);
  const sso = oidcConfig();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-line bg-panel p-6">
        <h1 className="text-2xl font-semibold">
          Catchment<span className="text-accent">.</span>
        </h1>
        <p className="mt-1 mb-6 text-sm text-muted">Sign in to the anycast fleet console.</p>
        <SignInForm next={next} ssoName={sso?.name ?? null} initialError={signInError(error)} />
      </div>
    </main>
  );
}
