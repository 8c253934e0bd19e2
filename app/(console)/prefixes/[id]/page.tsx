import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { DeleteForm } from "@/components/ui/delete-form";
import { DataTable } from "@/components/ui/table";
import { Empty, PageHeader, Panel, Stat } from "@/components/ui/panel";
import { AnnouncementBadge, ValidityBadge } from "@/components/ui/state-badges";
import { formatAsn } from "@/lib/domain/format";
import { effectiveState } from "@/lib/domain/pop-state";
import { parseRecordId } from "@/lib/domain/record-id";
import { roleAtLeast } from "@/lib/domain/roles";
import { deletePrefixAction } from "../actions";
import { requireUser } from "@/lib/server/auth/require-user";
import { getPrefixDetail } from "@/lib/server/prefixes/get-prefix-detail";
import { db } from "@/lib/server/db/client";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Prefix" };

export default async function PrefixPage({ params }: Props) {
  const { id } = await params;
  const user = await requireUser();
  const prefixId = parseRecordId(id);
  const detail = prefixId === null ? null : await getPrefixDetail(db, prefixId);
  if (!detail) notFound();
  const { prefix, validation, covering, announcements, inUse } = detail;
  const isAdmin = roleAtLeast(user.role, "admin");
  const announcing = announcements.filter((a) => effectiveState(a) === "announced").length;
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">{prefix.cidr}</span>
            <ValidityBadge validity={validation.validity} />
          </span>
        }
        subtitle={`${prefix.service} · origin ${formatAsn(prefix.originAsn)}${prefix.description ? ` · ${prefix.description}` : ""}`}
        actions={
          isAdmin && (
            <Link href={`/prefixes/${prefix.id}/edit`} className={buttonClass("secondary")}>
              Edit prefix
            </Link>
          )
        }
      />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Announcing undrained" value={announcing} tone={announcing < prefix.safetyFloor ? "bad" : "ok"} />
        <Stat label="Safety floor" value={prefix.safetyFloor} hint="PoPs that must keep announcing it" />
        <Stat label="PoPs configured" value={announcements.length} />
        <Stat label="Covering ROAs" value={covering.length} tone={covering.length ? "ink" : "warn"} />
      </div>
      <div className="mt-4 grid gap-4 xl:grid-cols-2">
        <Panel title="Where it is announced">
          {announcements.length === 0 ? (
            <Empty>No PoP is configured to announce this prefix.</Empty>
          ) : (
            <DataTable columns={[{ label: "PoP" }, { label: "Desired" }, { label: "Observed" }]}>
                {announcements.map((a) => (
                  <tr key={a.id}>
                    <td className="py-2 pr-3">
                      <Link href={`/pops/${a.pop.code}`} className="font-mono hover:text-accent">
                        {a.pop.code}
                      </Link>{" "}
                      <span className="text-xs text-muted">{a.pop.city}</span>
                    </td>
                    <td className="py-2 pr-3">
                      <AnnouncementBadge state={a.desiredState} prepend={a.prependCount} />
                    </td>
                    <td className="py-2">
                      {a.observedState ? <AnnouncementBadge state={a.observedState} prepend={a.observedPrepend} /> : <span className="text-muted">–</span>}
                      {a.drift && <span className="ml-2 text-xs text-warn">drift</span>}
                    </td>
                  </tr>
                ))}
              </DataTable>
          )}
        </Panel>
        <Panel title="ROA coverage (RFC 6811)">
          {covering.length === 0 ? (
            <Empty>No ROA covers this prefix: its routes are RPKI NotFound. Create a ROA for {formatAsn(prefix.originAsn)}.</Empty>
          ) : (
            <DataTable columns={[{ label: "ROA prefix" }, { label: "Max length" }, { label: "ASN" }, { label: "Source" }, { label: "Verdict" }]}>
                {covering.map((roa) => (
                  <tr key={roa.id}>
                    <td className="py-2 pr-3 font-mono">{roa.prefix}</td>
                    <td className="py-2 pr-3 font-mono">/{roa.maxLength}</td>
                    <td className="py-2 pr-3 font-mono">{formatAsn(roa.asn)}</td>
                    <td className="py-2 pr-3">{roa.source}</td>
                    <td className="py-2">
                      <Badge tone={roa.matches ? "ok" : "bad"}>{roa.matches ? "matches" : "does not match"}</Badge>
                      <div className="text-xs text-muted">{roa.why}</div>
                    </td>
                  </tr>
                ))}
              </DataTable>
          )}
        </Panel>
      </div>
      {isAdmin && (
        <Panel title="Delete" className="mt-4">
          {inUse.announcements + inUse.operations > 0 && (
            <p className="mb-3 text-sm text-muted">
              It is configured at {inUse.announcements} PoP{inUse.announcements === 1 ? "" : "s"} and named by {inUse.operations} operation record{inUse.operations === 1 ? "" : "s"}: the console will refuse to delete it and say why.
            </p>
          )}
          <DeleteForm action={deletePrefixAction} id={prefix.id} label="Delete prefix" confirm={`Delete ${prefix.cidr}? Its measurements go with it.`} />
        </Panel>
      )}
    </>
  );
}
