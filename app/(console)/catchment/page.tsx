import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CatchmentHistoryPanels } from "@/components/catchment/catchment-history";
import { PredictionRecordPanel } from "@/components/catchment/prediction-record";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/panel";
import { getPredictionRecord, RECORD_DAYS } from "@/lib/server/operations/get-prediction-record";
import { requireUser } from "@/lib/server/auth/require-user";
import { hasSimulatedProbes, listPrefixChoices, refreshIntervalMs } from "@/lib/server/catchment/data-sources";
import { getCatchmentHistory } from "@/lib/server/catchment/get-catchment-history";
import { prefixFilterQuery, resolvePrefixFilter } from "@/lib/server/catchment/prefix-filter";
import { AppError } from "@/lib/server/errors";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Catchment" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CatchmentPage({ searchParams }: Props) {
  await requireUser();
  const parsed = prefixFilterQuery.safeParse(await searchParams);
  const filterQuery = parsed.success ? parsed.data : {};
  const filter = await resolvePrefixFilter(db, filterQuery).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const [history, choices, simulated, record] = await Promise.all([getCatchmentHistory(db, filter.prefixIds), listPrefixChoices(db), hasSimulatedProbes(db), getPredictionRecord(db)]);
  const query = filterQuery.prefix ? `?prefix=${encodeURIComponent(filterQuery.prefix)}` : filterQuery.service ? `?service=${encodeURIComponent(filterQuery.service)}` : "";
  const chip = (href: string, label: string, active: boolean) => (
    <Link key={href} href={href} aria-current={active ? "page" : undefined} className={`rounded border px-2 py-1 text-xs ${active ? "border-accent text-accent" : "border-line text-muted hover:text-ink"}`}>
      {label}
    </Link>
  );
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            Catchment over time
            {simulated && <Badge tone="accent" title="The demo fleet's probes are simulated by the routing model, not measured on the internet">Simulated data</Badge>}
          </span>
        }
        subtitle={`Hourly, the last ${history.hours} hours, ${filter.label}. Refreshes every ${Math.round(refreshIntervalMs() / 1000)} s.`}
        actions={
          <form action="/lookup" className="flex gap-2" role="search" aria-label="Which PoP served this?">
            <input name="q" placeholder="Probe id or address" aria-label="Probe id or address" className="w-48 rounded border border-line bg-panel-2 px-2 py-1.5 text-sm" />
            <button className={buttonClass("secondary")}>Which PoP?</button>
          </form>
        }
      />
      <nav aria-label="Filter by prefix or service" className="mb-4 flex flex-wrap gap-2">
        {chip("/catchment", "All prefixes", !filterQuery.prefix && !filterQuery.service)}
        {choices.services.map((service) => chip(`/catchment?service=${encodeURIComponent(service)}`, `service ${service}`, filterQuery.service === service))}
        {choices.prefixes.map((prefix) => chip(`/catchment?prefix=${prefix.id}`, prefix.cidr, filterQuery.prefix === String(prefix.id)))}
      </nav>
      <CatchmentHistoryPanels key={query} query={query} initial={{ filter: filter.label, ...history }} refreshMs={refreshIntervalMs()} />
      <PredictionRecordPanel record={record} days={RECORD_DAYS} />
    </>
  );
}
