import type { Metadata } from "next";
import Link from "next/link";
import { OperationStatusBadge } from "@/components/operations/operation-badges";
import { DataTable } from "@/components/ui/table";
import { Empty, PageHeader } from "@/components/ui/panel";
import { requireUser } from "@/lib/server/auth/require-user";
import { listOperations } from "@/lib/server/operations/get-operation";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Operations" };

export default async function OperationsPage() {
  await requireUser();
  const operations = await listOperations(db, { take: 100 });
  return (
    <>
      <PageHeader title="Operations" subtitle="Drains, withdraws and restores, newest first, with each agent's result." />
      {operations.length === 0 ? (
        <Empty>No operation yet. Drain or withdraw a PoP from its page.</Empty>
      ) : (
        <DataTable columns={[{ label: "When (UTC)" }, { label: "Operation" }, { label: "PoP" }, { label: "Prefix" }, { label: "By" }, { label: "Status" }, { label: "Agents" }]} framed minWidth="min-w-[760px]">
              {operations.map((op) => (
                <tr key={op.id} className="hover:bg-panel">
                  <td className="px-3 py-2 font-mono">{op.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                  <td className="px-3 py-2">
                    <Link href={`/operations/${op.id}`} className="font-semibold hover:text-accent">
                      {op.kind}
                      {op.prependCount ? ` ×${op.prependCount}` : ""}
                    </Link>
                    <div className="max-w-xs truncate text-xs text-muted">{op.reason}</div>
                  </td>
                  <td className="px-3 py-2 font-mono">
                    {op.pop ? (
                      <Link href={`/pops/${op.pop.code}`} className="hover:text-accent">
                        {op.pop.code}
                      </Link>
                    ) : (
                      <span title={op.popCodes.join(", ")}>
                        {op.popCodes.length} PoPs{op.popCodes.length <= 3 ? `: ${op.popCodes.join(", ")}` : ""}
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2 font-mono">
                    {op.prefix ? op.prefix.cidr : op.cidrs.length === 1 ? op.cidrs[0] : <span title={op.cidrs.join(", ")}>{op.cidrs.length} prefixes</span>}
                  </td>
                  <td className="px-3 py-2">{op.requestedBy.username}</td>
                  <td className="px-3 py-2">
                    <OperationStatusBadge status={op.status} />
                    {op.overrideReason && <span className="ml-1 text-xs text-warn">override</span>}
                  </td>
                  <td className="px-3 py-2 font-mono">
                    {op.steps.filter((s) => s.status === "succeeded").length}/{op.steps.length}
                  </td>
                </tr>
              ))}
            </DataTable>
      )}
    </>
  );
}
