import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md px-6 py-24 text-center">
      <h1 className="text-2xl font-semibold">Not for your role</h1>
      <p className="mt-2 text-muted">Your role does not allow this page. Ask an admin if you need it.</p>
      <Link href="/" className="mt-6 inline-block text-accent underline">
        Back to the overview
      </Link>
    </main>
  );
}
