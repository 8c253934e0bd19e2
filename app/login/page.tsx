import { redirect } from "next/navigation";
import { signInTarget } from "@/lib/domain/sign-in-target";

// Many consoles sign in at /login; this one signs in at /signin. Bookmarks and habit still come here.
export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const target = signInTarget(typeof next === "string" ? next : undefined);
  redirect(target === "/" ? "/signin" : `/signin?${new URLSearchParams({ next: target })}`);
}
