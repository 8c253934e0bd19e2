import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { DataTable } from "@/components/ui/table";
import { Empty, PageHeader, Panel } from "@/components/ui/panel";
import { Badge } from "@/components/ui/badge";
import { formatAsn, formatUtc } from "@/lib/domain/format";
import { MEASUREMENT_SOURCES, type MeasurementSource } from "@/lib/ingest/types";
import { requireUser } from "@/lib/server/auth/require-user";
import { lookupProbe, type Answer, type ProbeRow } from "@/lib/server/catchment/lookup-probe";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Which PoP served this?" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? "";

function ProbeList({ probes }: { probes: ProbeRow[] }) {
  return (
    <DataTable label="Probes" columns={[{ label: "Probe" }, { label: "Source" }, { label: "Country" }, { label: "Address" }]}>
      {probes.map((p) => (
        <tr key={p.id}>
          <td className="py-1.5 pr-3">
            <Link className="font-mono hover:text-accent" href={`/lookup?q=${encodeURIComponent(p.externalId)}&source=${p.source}`}>
              {p.externalId}
            </Link>
          </td>
          <td className="py-1.5 pr-3">{p.source}</td>
          <td className="py-1.5 pr-3">{p.country ?? "?"}</td>
          <td className="py-1.5 font-mono">{p.addressV4 ?? p.addressV6 ?? "—"}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function AnswerCells({ answer }: { answer: Answer }) {
  return (
    <>
      <td className="py-1.5 pr-3 font-mono">
        {answer.prefix} <span className="text-xs text-muted">{answer.service}</span>
      </td>
      <td className="py-1.5 pr-3">
        {answer.popCode ? (
          <Link className="font-mono hover:text-accent" href={`/pops/${answer.popCode}`}>
            {answer.popCode}
          </Link>
        ) : (
          <Badge tone="warn" title="The answer matches no PoP's identities: fix the PoP's identities">unmatched</Badge>
        )}
      </td>
      <td className="py-1.5 pr-3 font-mono text-xs">{answer.answer}</td>
      <td className="py-1.5 pr-3 text-right font-mono tabular-nums">{answer.rttMs === null ? "—" : `${answer.rttMs} ms`}</td>
      <td className="py-1.5 font-mono text-xs whitespace-nowrap">{formatUtc(new Date(answer.at))}</td>
    </>
  );
}

const answerColumns = [{ label: "Prefix" }, { label: "PoP" }, { label: "Answer" }, { label: "RTT", align: "right" as const }, { label: "Measured (UTC)" }];

export default async function LookupPage({ searchParams }: Props) {
  await requireUser();
  const params = await searchParams;
  const q = one(params.q);
  const sourceParam = one(params.source);
  const source = (MEASUREMENT_SOURCES as readonly string[]).includes(sourceParam) ? (sourceParam as MeasurementSource) : undefined;
  const result = q ? await lookupProbe(db, q, source) : null;
  return (
    <>
      <PageHeader title="Which PoP served this?" subtitle="A probe's latest answer per prefix and its answers of the last 24 hours, by probe id or by the probe's public address." />
      <form action="/lookup" role="search" aria-label="Look up a probe" className="mb-4 flex max-w-xl gap-2">
        <input name="q" defaultValue={q} placeholder="Probe id (e.g. 6001) or address (e.g. 203.0.113.7)" aria-label="Probe id or address" className="flex-1 rounded border border-line bg-panel-2 px-3 py-2 text-sm" />
        <button className={buttonClass("primary")}>Look up</button>
      </form>
      {result?.kind === "none" && (
        <Panel title="No probe found">
          <Empty>No probe has the id or address {result.query}.</Empty>
          {result.nearby.length > 0 && (
            <>
              <p className="mb-2 text-sm text-muted">Probes in the same /24:</p>
              <ProbeList probes={result.nearby} />
            </>
          )}
        </Panel>
      )}
      {result?.kind === "many" && (
        <Panel title={`${result.probes.length} probes match ${result.query}`}>
          <ProbeList probes={result.probes} />
        </Panel>
      )}
      {result?.kind === "probe" && (
        <div className="grid gap-4">
          <Panel
            title={
              <span>
                Probe <span className="font-mono normal-case">{result.probe.externalId}</span> ({result.probe.source})
              </span>
            }
          >
            <dl className="mb-4 grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
              <dt className="text-muted">Country</dt>
              <dd>{result.probe.country ?? "unknown"}</dd>
              <dt className="text-muted">Network</dt>
              <dd className="font-mono">{result.probe.asnV4 === null ? "unknown" : formatAsn(result.probe.asnV4)}</dd>
              <dt className="text-muted">Address</dt>
              <dd className="font-mono">{result.probe.addressV4 ?? result.probe.addressV6 ?? "unknown"}</dd>
              <dt className="text-muted">Location</dt>
              <dd className="font-mono">
                {result.probe.lat === null || result.probe.lon === null ? "unknown" : `${result.probe.lat.toFixed(2)}, ${result.probe.lon.toFixed(2)}`}
              </dd>
            </dl>
            {result.current.length === 0 ? (
              <Empty>This probe has no answers yet.</Empty>
            ) : (
              <DataTable label="Latest answer per prefix" columns={answerColumns}>
                {result.current.map((answer) => (
                  <tr key={answer.prefix}>
                    <AnswerCells answer={answer} />
                  </tr>
                ))}
              </DataTable>
            )}
          </Panel>
          <Panel title="Answers of the last 24 hours">
            {result.history.length === 0 ? (
              <Empty>No answers in the last 24 hours.</Empty>
            ) : (
              <DataTable label="Answers of the last 24 hours" columns={[...answerColumns, { label: "" }]}>
                {result.history.map((answer) => (
                  <tr key={`${answer.prefix}@${answer.at}`} className={answer.moved ? "bg-warn/5" : ""}>
                    <AnswerCells answer={answer} />
                    <td className="py-1.5 pl-3">{answer.moved && <Badge tone="warn">moved</Badge>}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </Panel>
        </div>
      )}
    </>
  );
}
