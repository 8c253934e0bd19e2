import type { ReactNode } from "react";
import { ConsoleNav, type NavItem } from "@/components/shell/console-nav";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { Providers } from "./providers";

const NAV: NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/pops", label: "PoPs" },
  { href: "/prefixes", label: "Prefixes" },
  { href: "/map", label: "Map" },
  { href: "/rpki", label: "RPKI" },
  { href: "/catchment", label: "Catchment" },
  { href: "/placement", label: "Placement" },
  { href: "/lookup", label: "Lookup" },
  { href: "/operations", label: "Operations" },
  { href: "/audit", label: "Audit log" },
];

/** Only admins see these. */
const ADMIN_NAV: NavItem[] = [{ href: "/tokens", label: "API tokens" }];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const items = roleAtLeast(user.role, "admin") ? [...NAV, ...ADMIN_NAV] : NAV;
  return (
    <Providers>
      <ConsoleNav items={items} user={{ name: user.name, role: user.role }} />
      <main className="mx-auto max-w-[1600px] px-4 py-6">{children}</main>
    </Providers>
  );
}
