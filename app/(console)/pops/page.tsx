import type { Metadata } from "next";
import Link from "next/link";
import { PopCheckbox, PopSelection, SelectionBar } from "@/components/operations/pop-selection";
import { buttonClass } from "@/components/ui/button";
import { Empty, PageHeader } from "@/components/ui/panel";
import { AgentHealthBadge, PopStateBadge, PopStatusBadge } from "@/components/ui/state-badges";
import { formatPercent } from "@/lib/domain/format";
import { filterAndSortPops, popListQuery, type PopListQuery, type PopSortKey } from "@/lib/domain/pop-list";
import { REGION_LABELS, REGIONS } from "@/lib/domain/regions";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { listPops } from "@/lib/server/pops/list-pops";
import { requestOperationAction } from "../operations/actions";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "PoPs" };

const STATES = ["active", "maintenance", "decommissioned", "announced", "drained", "withdrawn", "mixed"];

function sortHref(query: PopListQuery, key: PopSortKey) {
  const params = new URLSearchParams();
  if (query.region) params.set("region", query.region);
  if (query.state) params.set("state", query.state);
  if (query.q) params.set("q", query.q);
  params.set("sort", key);
  params.set("dir", query.sort === key && query.dir === "asc" ? "desc" : "asc");
  return `/pops?${params}`;
}

function SortHeader({ query, column, children, className = "" }: { query: PopListQuery; column: PopSortKey; children: string; className?: string }) {
  const active = query.sort === column;
  return (
    <th scope="col" aria-sort={active ? (query.dir === "asc" ? "ascending" : "descending") : "none"} className={`px-3 py-2 font-medium ${className}`}>
      <Link href={sortHref(query, column)} className="hover:text-ink">
        {children}
        {active ? (query.dir === "asc" ? " ▲" : " ▼") : ""}
      </Link>
    </th>
  );
}

export default async function PopsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser();
  const query = popListQuery.parse(await searchParams);
  const pops = filterAndSortPops(await listPops(db), query);
  const selectClass = "rounded-md border border-line bg-canvas px-2 py-1.5 text-sm";
  const canOperate = roleAtLeast(user.role, "operator");
  return (
    <PopSelection>
      <PageHeader
        title="PoPs"
        subtitle={`${pops.length} shown`}
        actions={roleAtLeast(user.role, "admin") && <Link href="/pops/new" className={buttonClass("primary")}>Add PoP</Link>}
      />
      <form className="mb-4 flex flex-wrap items-end gap-2" role="search">
        <label className="text-sm">
          <span className="block text-xs text-muted">Region</span>
          <select name="region" defaultValue={query.region ?? ""} className={selectClass}>
            <option value="">All regions</option>
            {REGIONS.map((region) => (
              <option key={region} value={region}>
                {REGION_LABELS[region]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-xs text-muted">State</span>
          <select name="state" defaultValue={query.state ?? ""} className={selectClass}>
            <option value="">Any state</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {state}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-xs text-muted">Search</span>
          <input name="q" defaultValue={query.q ?? ""} placeholder="code, city, country" className={selectClass} />
        </label>
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="dir" value={query.dir} />
        <button className={buttonClass("secondary")}>Filter</button>
        {(query.region || query.state || query.q) && (
          <Link href="/pops" className={buttonClass("ghost")}>
            Clear
          </Link>
        )}
      </form>
      {canOperate && pops.length > 0 && (
        <SelectionBar
          pops={pops.map((pop) => ({ code: pop.code, region: pop.region }))}
          isAdmin={roleAtLeast(user.role, "admin")}
          requestAction={requestOperationAction}
        />
      )}
      {pops.length === 0 ? (
        <Empty>No PoP matches these filters.</Empty>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-line">
          <table className="w-full min-w-[860px] text-sm">
            <thead className="bg-panel text-left text-xs text-muted uppercase">
              <tr>
                {canOperate && (
                  <th scope="col" className="w-8 px-3 py-2 font-medium">
                    <span className="sr-only">Select</span>
                  </th>
                )}
                <SortHeader query={query} column="code">PoP</SortHeader>
                {/* What on-call looks for first, so it is on screen on a phone: state, then load. */}
                <th scope="col" className="px-3 py-2 font-medium">Announcing</th>
                <SortHeader query={query} column="utilisation" className="text-right">Load</SortHeader>
                <SortHeader query={query} column="status">Status</SortHeader>
                <SortHeader query={query} column="city">Location</SortHeader>
                <SortHeader query={query} column="region">Region</SortHeader>
                <th scope="col" className="px-3 py-2 font-medium">Upstreams</th>
                <SortHeader query={query} column="capacity" className="text-right">Capacity</SortHeader>
                <SortHeader query={query} column="share" className="text-right">Catchment</SortHeader>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {pops.map((pop) => (
                <tr key={pop.id} className="hover:bg-panel">
                  {canOperate && (
                    <td className="px-3 py-2">
                      <PopCheckbox code={pop.code} />
                    </td>
                  )}
                  <td className="px-3 py-2">
                    <Link href={`/pops/${pop.code}`} className="font-mono font-semibold hover:text-accent">
                      {pop.code}
                    </Link>
                    <div className="text-xs text-muted">{pop.name}</div>
                  </td>
                  <td className="space-x-1 px-3 py-2">
                    <PopStateBadge state={pop.announcementState} />
                    {pop.drift && <span className="text-xs text-warn">drift</span>}
                    {pop.agentHealth !== "ok" && pop.agentHealth !== "unknown" && <AgentHealthBadge health={pop.agentHealth} />}
                  </td>
                  <td className={`px-3 py-2 text-right font-mono tabular-nums ${(pop.utilisation ?? 0) > 0.85 ? "text-bad" : ""}`}>
                    {pop.utilisation === null ? "–" : formatPercent(pop.utilisation)}
                  </td>
                  <td className="px-3 py-2">
                    <PopStatusBadge status={pop.status} />
                  </td>
                  <td className="px-3 py-2">
                    {pop.city}, {pop.country}
                  </td>
                  <td className="px-3 py-2">{REGION_LABELS[pop.region]}</td>
                  <td className={`px-3 py-2 font-mono ${pop.upstreamsUp < pop.upstreams ? "text-warn" : ""}`}>
                    {pop.upstreamsUp}/{pop.upstreams} up
                  </td>
                  <td className="px-3 py-2 text-right font-mono tabular-nums">{pop.capacityGbps} Gbps</td>
                  <td className="px-3 py-2 text-right font-mono tabular-nums">{formatPercent(pop.catchmentShare, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </PopSelection>
  );
}
