import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/ui/table";
import { Empty, PageHeader } from "@/components/ui/panel";
import { ValidityBadge } from "@/components/ui/state-badges";
import { buttonClass } from "@/components/ui/button";
import { formatAsn } from "@/lib/domain/format";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { listPrefixes } from "@/lib/server/prefixes/list-prefixes";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Prefixes" };

export default async function PrefixesPage() {
  const user = await requireUser();
  const prefixes = await listPrefixes(db);
  return (
    <>
      <PageHeader
        title="Prefixes"
        subtitle="Anycast prefixes, where they are announced, and their RPKI origin validity."
        actions={
          roleAtLeast(user.role, "admin") && (
            <Link href="/prefixes/new" className={buttonClass("primary")}>
              New prefix
            </Link>
          )
        }
      />
      {prefixes.length === 0 ? (
        <Empty>No prefix yet.</Empty>
      ) : (
        <DataTable columns={[{ label: "Prefix" }, { label: "Service" }, { label: "Origin" }, { label: "Announcing / floor", align: "right" }, { label: "Drained", align: "right" }, { label: "Withdrawn", align: "right" }, { label: "RPKI" }]} framed minWidth="min-w-[760px]">
              {prefixes.map((prefix) => (
                <tr key={prefix.id} className="hover:bg-panel">
                  <td className="px-3 py-2">
                    <Link href={`/prefixes/${prefix.id}`} className="font-mono font-semibold hover:text-accent">
                      {prefix.cidr}
                    </Link>
                    {prefix.description && <div className="text-xs text-muted">{prefix.description}</div>}
                  </td>
                  <td className="px-3 py-2">{prefix.service}</td>
                  <td className="px-3 py-2 font-mono">{formatAsn(prefix.originAsn)}</td>
                  <td className={`px-3 py-2 text-right font-mono tabular-nums ${prefix.announcing < prefix.safetyFloor ? "text-bad" : ""}`}>
                    {prefix.announcing} / {prefix.safetyFloor}
                  </td>
                  <td className="px-3 py-2 text-right font-mono tabular-nums">{prefix.drained}</td>
                  <td className="px-3 py-2 text-right font-mono tabular-nums">{prefix.withdrawn}</td>
                  <td className="px-3 py-2">
                    <ValidityBadge validity={prefix.validation.validity} />
                  </td>
                </tr>
              ))}
            </DataTable>
      )}
    </>
  );
}
