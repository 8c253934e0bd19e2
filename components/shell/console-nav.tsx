"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";

export type NavItem = { href: string; label: string };

function isActive(pathname: string, href: string) {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function ConsoleNav({ items, user }: { items: NavItem[]; user: { name: string; role: string } }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  // No link here prefetches: every console page is rendered per request (it depends on the
  // session), so a prefetch brings only the shared layout, yet costs the server a request per
  // link on every page load and every wall screen's reload.
  return (
    <header data-print="hide" className="sticky top-0 z-20 border-b border-line bg-canvas/95 backdrop-blur">
      <div className="mx-auto flex max-w-[1600px] items-center gap-4 px-4 py-2.5">
        <Link href="/" prefetch={false} className="text-lg font-semibold">
          Catchment<span className="text-accent">.</span>
        </Link>
        <button
          type="button"
          className="ml-auto rounded border border-line px-2 py-1 text-sm md:hidden"
          aria-expanded={open}
          aria-controls="console-nav"
          onClick={() => setOpen(!open)}
        >
          Menu
        </button>
        <nav
          id="console-nav"
          aria-label="Main"
          className={`${open ? "flex" : "hidden"} absolute top-full right-0 left-0 flex-col border-b border-line bg-canvas p-2 md:static md:flex md:flex-1 md:flex-row md:items-center md:border-0 md:p-0`}
        >
          {items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              prefetch={false}
              onClick={() => setOpen(false)}
              aria-current={isActive(pathname, item.href) ? "page" : undefined}
              className="rounded px-3 py-2 text-sm text-muted hover:text-ink aria-[current=page]:bg-panel-2 aria-[current=page]:text-ink"
            >
              {item.label}
            </Link>
          ))}
          <div className="flex items-center gap-3 px-3 py-2 text-sm md:ml-auto md:py-0">
            <span>
              {user.name} <span className="text-muted">· {user.role}</span>
            </span>
            <button type="button" onClick={() => signOut({ callbackUrl: "/signin" })} className="text-muted underline hover:text-ink">
              Sign out
            </button>
          </div>
        </nav>
      </div>
    </header>
  );
}
