import Link from "next/link";
import { connection } from "next/server";

export default async function NotFound() {
  // Rendered per request, never prerendered: a page's scripts need the request's CSP nonce.
  await connection();
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-muted">Nothing here: it may have been renamed or removed.</p>
      <Link href="/" className="mt-6 inline-block text-accent underline">
        Back to the overview
      </Link>
    </main>
  );
}
