"use client";

import { useEffect, useState } from "react";
import { buttonClass } from "@/components/ui/button";

type Database = "checking" | "ok" | "unreachable" | "no-answer";

const DATABASE_LINE: Record<Database, string> = {
  checking: "Checking whether the console's database answers…",
  unreachable: "The console's database does not answer. Nothing can be shown or changed until it is back; the server's log says why.",
  ok: "The console's database answers: the error is in the server's log.",
  "no-answer": "The console's server does not answer either: it may be stopped or restarting.",
};

/**
 * What a page that failed on the server shows, in the console's own words. Production
 * Next.js hands the browser only a digest of a server error (the message stays in the log),
 * so this asks the unauthenticated health route whether the database is the cause.
 */
export function PageError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const [database, setDatabase] = useState<Database>("checking");
  useEffect(() => {
    let current = true;
    fetch("/api/health", { cache: "no-store" })
      .then((response) => response.json() as Promise<{ database?: string }>)
      .then((body) => current && setDatabase(body.database === "ok" ? "ok" : "unreachable"))
      .catch(() => current && setDatabase("no-answer"));
    return () => {
      current = false;
    };
  }, [error]);
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">This page could not load</h1>
      <p className="mt-2 text-muted" aria-live="polite">
        {DATABASE_LINE[database]}
      </p>
      {error.digest && (
        <p className="mt-2 text-xs break-all text-muted">
          Reference in the server&apos;s log: <code className="font-mono">{error.digest}</code>
        </p>
      )}
      <button type="button" onClick={retry} className={buttonClass("primary", "mt-6")}>
        Try again
      </button>
    </main>
  );
}
