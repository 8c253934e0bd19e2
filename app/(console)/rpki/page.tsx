import type { Metadata } from "next";
import Link from "next/link";
import { RoaImport } from "@/components/rpki/roa-import";
import { Badge, type Tone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { Empty, PageHeader, Panel, Stat } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { formatAsn } from "@/lib/domain/format";
import { ROA_STATE_HINTS, ROA_STATE_LABELS, type RoaState } from "@/lib/domain/roas/roa-analysis";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { getFleetAspas } from "@/lib/server/rpki/get-fleet-aspas";
import { getRoaTable } from "@/lib/server/rpki/get-roa-table";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "RPKI" };

const STATE_TONES: Record<RoaState, Tone> = { seen: "ok", too_permissive: "warn", disallowing: "bad", not_seen: "muted", redundant: "muted", as0: "accent" };
const STATES = Object.keys(ROA_STATE_LABELS) as RoaState[];
const FAMILY_LABELS = { ipv4: "IPv4", ipv6: "IPv6" } as const;

type Props = { searchParams: Promise<{ q?: string; source?: string; state?: string }> };

export default async function RpkiPage({ searchParams }: Props) {
  const user = await requireUser();
  const params = await searchParams;
  const state = STATES.includes(params.state as RoaState) ? (params.state as RoaState) : undefined;
  const [table, fleetAspas] = await Promise.all([getRoaTable(db, { q: params.q, source: params.source, state }), getFleetAspas(db)]);
  const now = new Date();
  const origins = fleetAspas.origins.map(formatAsn).join(", ");
  const isAdmin = roleAtLeast(user.role, "admin");
  return (
    <>
      <PageHeader
        title="RPKI"
        subtitle="ROAs and VRPs, what each does for the fleet's announcements (as Krill shows it), the fleet's ASPA objects, and imports from your validator."
        actions={
          <>
            <a href="/api/v1/roas?format=csv" className={buttonClass("secondary")}>
              Export CSV
            </a>
            <a href="/api/v1/roas?format=json" className={buttonClass("secondary")}>
              Export JSON
            </a>
            {isAdmin && (
              <Link href="/rpki/new" className={buttonClass("primary")}>
                New ROA
              </Link>
            )}
          </>
        }
      />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
        <Stat label="ROAs in use" value={table.totals.effective.toLocaleString("en")} hint={`${table.totals.stored.toLocaleString("en")} stored`} />
        <Stat label="Filtered by SLURM" value={table.totals.filtered} tone={table.totals.filtered ? "warn" : "ink"} />
        <Stat label="Expired" value={table.totals.expired} tone={table.totals.expired ? "warn" : "ink"} />
        {(["seen", "too_permissive", "disallowing", "not_seen"] as const).map((s) => (
          <Stat key={s} label={ROA_STATE_LABELS[s]} value={table.stateCounts[s]} tone={s === "disallowing" && table.stateCounts[s] ? "bad" : s === "too_permissive" && table.stateCounts[s] ? "warn" : "ink"} />
        ))}
      </div>

      {isAdmin && (
        <Panel title="Import VRPs" className="mt-4">
          <details className="mb-4 text-sm text-muted">
            <summary className="cursor-pointer text-ink">What an import replaces</summary>
            <ul className="mt-2 list-disc space-y-1 pl-5">
              <li>
                A validator export (Routinator CSV or JSON, or a JSON list of {"{asn, prefix, maxLength}"}) replaces, for each trust anchor it names, every stored ROA of
                that trust anchor. Records without one go to the source you give. Other sources are left alone. A JSON export (Routinator, rpki-client, StayRTR) replaces
                those sources&apos; ASPA objects too; other formats leave ASPA objects alone.
              </li>
              <li>A SLURM file (RFC 8416) replaces the local layer: its prefix assertions (source slurm) and its prefix filters, which hide matching validator ROAs from validation.</li>
              <li>ROAs created here (source manual) are never touched by an import nor hidden by SLURM filters.</li>
              <li>A file with any bad line is refused whole, naming the lines. The dry run changes nothing; the apply is one transaction and is refused if the ROAs changed since the dry run.</li>
            </ul>
          </details>
          <RoaImport />
        </Panel>
      )}

      <Panel title="ROAs" className="mt-4">
        <form className="mb-3 flex flex-wrap items-end gap-3" role="search">
          <label className="text-sm">
            <span className="block text-xs text-muted">Prefix or ASN</span>
            <input name="q" defaultValue={params.q ?? ""} placeholder="192.0.2 or AS64500" className="mt-1 rounded-md border border-line bg-canvas px-2 py-1.5 text-sm" />
          </label>
          <label className="text-sm">
            <span className="block text-xs text-muted">Source</span>
            <select name="source" defaultValue={params.source ?? ""} className="mt-1 rounded-md border border-line bg-canvas px-2 py-1.5 text-sm">
              <option value="">Any</option>
              {table.sources.map((source) => (
                <option key={source}>{source}</option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            <span className="block text-xs text-muted">State</span>
            <select name="state" defaultValue={state ?? ""} className="mt-1 rounded-md border border-line bg-canvas px-2 py-1.5 text-sm">
              <option value="">Any</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {ROA_STATE_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={buttonClass("secondary")}>
            Filter
          </button>
          <span className="text-xs text-muted">
            {table.matched.toLocaleString("en")} match{table.matched > table.rows.length ? `, first ${table.rows.length} shown` : ""}
          </span>
        </form>
        {table.rows.length === 0 ? (
          <Empty>No ROA matches.</Empty>
        ) : (
          <DataTable label="ROAs" columns={[{ label: "Prefix" }, { label: "Max length" }, { label: "ASN" }, { label: "Source" }, { label: "Analysis" }, { label: "Routes" }, { label: "" }]} minWidth="min-w-[860px]">
            {table.rows.map((roa) => (
              <tr key={roa.id}>
                <td className="py-2 pr-3 font-mono">{roa.prefix}</td>
                <td className="py-2 pr-3 font-mono">/{roa.maxLength}</td>
                <td className="py-2 pr-3 font-mono">{formatAsn(roa.asn)}</td>
                <td className="py-2 pr-3">
                  {roa.source}
                  {roa.expiresAt && <div className="text-xs text-muted">expires {roa.expiresAt.toISOString().slice(0, 10)}</div>}
                </td>
                <td className="py-2 pr-3">
                  <span className="flex flex-wrap gap-1">
                    {roa.status !== "effective" && <Badge tone="warn">{roa.status === "filtered" ? "filtered by SLURM" : "expired"}</Badge>}
                    {roa.states.map((s) => (
                      <Badge key={s} tone={STATE_TONES[s]} title={ROA_STATE_HINTS[s]}>
                        {ROA_STATE_LABELS[s]}
                      </Badge>
                    ))}
                  </span>
                  {roa.redundantWith && <div className="text-xs text-muted">covered by {roa.redundantWith}</div>}
                </td>
                <td className="py-2 pr-3 font-mono text-xs">
                  {roa.authorises.map((route) => (
                    <div key={route} className="text-ok">
                      ✓ {route}
                    </div>
                  ))}
                  {roa.disallows.map((route) => (
                    <div key={route} className="text-bad">
                      ✗ {route}
                    </div>
                  ))}
                </td>
                <td className="py-2 text-right">
                  {isAdmin && roa.source === "manual" && (
                    <Link href={`/rpki/${roa.id}/edit`} className="text-sm text-accent">
                      Edit
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Panel>

      <Panel title="ASPA" className="mt-4">
        <p className="mb-3 text-sm text-muted">
          ASPA objects whose customer is one of the fleet&apos;s origin ASNs{origins && ` (${origins})`}: the providers each authorises as its upstreams.{" "}
          {fleetAspas.total.toLocaleString("en")} ASPA object{fleetAspas.total === 1 ? "" : "s"} stored in all, from validator JSON imports.
        </p>
        {fleetAspas.aspas.length === 0 ? (
          <Empty>{origins ? `No ASPA object names ${origins} as its customer.` : "No prefixes yet: the fleet has no origin ASN to look up."}</Empty>
        ) : (
          <DataTable label="ASPA objects" columns={[{ label: "Customer" }, { label: "Providers" }, { label: "Trust anchor" }, { label: "Family" }, { label: "Expires" }]} minWidth="min-w-[640px]">
            {fleetAspas.aspas.map((aspa) => (
              <tr key={aspa.id}>
                <td className="py-2 pr-3 font-mono">{formatAsn(aspa.customerAsn)}</td>
                <td className="py-2 pr-3 font-mono">
                  {/* AS0 alone: the customer declares it has no provider. */}
                  {aspa.providerAsns.length === 1 && aspa.providerAsns[0] === 0 ? "AS0 (no provider)" : aspa.providerAsns.map(formatAsn).join(" ")}
                </td>
                <td className="py-2 pr-3">
                  {aspa.ta ?? <span className="text-muted">none named</span>}
                  {aspa.ta?.toLowerCase() !== aspa.source && <div className="text-xs text-muted">source {aspa.source}</div>}
                </td>
                <td className="py-2 pr-3">{aspa.afi ? FAMILY_LABELS[aspa.afi] : "both"}</td>
                <td className="py-2 pr-3 font-mono text-xs">
                  {aspa.expiresAt ? aspa.expiresAt.toISOString().slice(0, 16).replace("T", " ") : "—"}
                  {aspa.expiresAt && aspa.expiresAt <= now && (
                    <div>
                      <Badge tone="warn">expired</Badge>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Panel>

      {table.filters.length > 0 && (
        <Panel title="SLURM prefix filters" className="mt-4">
          <ul className="space-y-1 font-mono text-sm">
            {table.filters.map((filter, index) => (
              <li key={index}>
                {filter.prefix ?? "any prefix"} · {filter.asn === null ? "any AS" : formatAsn(filter.asn)}
                {filter.comment && <span className="ml-2 font-sans text-xs text-muted">{filter.comment}</span>}
              </li>
            ))}
          </ul>
        </Panel>
      )}

      <p className="mt-4 text-xs text-muted">
        The guard on operations: restoring a prefix that is withdrawn (announcing it anew) is refused while its origin is RPKI-invalid, unless an admin overrides it with a
        written reason. Undoing a drain is never refused: it only removes prepends from a route already in the table, so a drain can always be undone.
      </p>
    </>
  );
}
