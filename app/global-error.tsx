"use client";

import { PageError } from "@/components/shell/page-error";
import "./globals.css";

/** When the root layout itself fails: it replaces the whole document. */
export default function GlobalError(props: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <PageError {...props} />
      </body>
    </html>
  );
}
