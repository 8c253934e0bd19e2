"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";

export function SignInForm({ next, ssoName, initialError }: { next: string; ssoName: string | null; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    // Without a callbackUrl next-auth uses this page's URL, and reads an `error` left in it by a
    // failed single sign-on as the outcome of this sign-in.
    const result = await signIn("credentials", {
      username: String(form.get("username") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl: next,
      redirect: false,
    });
    setPending(false);
    if (result?.ok && !result.error) {
      window.location.assign(next);
      return;
    }
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong user name or password.");
  }

  return (
    <div className="space-y-4">
      <form onSubmit={submit} className="space-y-4">
        <TextField label="User name" name="username" autoComplete="username" required autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <div aria-live="assertive" role="alert" className="min-h-5 text-sm text-bad">
          {error}
        </div>
        <button type="submit" disabled={pending} className={buttonClass("primary", "w-full")}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {ssoName && (
        <button type="button" onClick={() => signIn("oidc", { callbackUrl: next })} className={buttonClass("secondary", "w-full")}>
          Sign in with {ssoName}
        </button>
      )}
    </div>
  );
}
