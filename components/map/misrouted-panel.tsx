"use client";

import { memo, useMemo } from "react";
import { Panel } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { describeReason } from "@/lib/domain/misrouted";
import type { CatchmentMap } from "@/lib/server/catchment/get-catchment-map";

/** Rows of the misrouted table; the count above it gives the total. */
const MISROUTED_ROWS = 100;

/** The misrouted probes of the map: a table of the first hundred, with why each is misrouted. */
export const MisroutedPanel = memo(function MisroutedPanel({ data }: { data: CatchmentMap | undefined }) {
  const codes = useMemo(() => new Map((data?.pops ?? []).map((pop) => [pop.id, pop.code])), [data]);
  const popCode = (popId: number) => codes.get(popId) ?? `PoP ${popId}`;
  return (
    <Panel title={`Misrouted probes${data ? ` (${data.misrouted.length})` : ""}`}>
      <p className="mb-3 text-xs text-muted">
        Answered by a PoP more than 1,500 km farther than the nearest PoP announcing the prefix undrained, or with an RTT over twice the fibre bound to
        their PoP (plus 25 ms for the access network).
      </p>
      {data && data.misrouted.length > 0 ? (
        <>
          <DataTable
            label="Misrouted probes"
            minWidth="min-w-[40rem]"
            columns={[{ label: "Probe" }, { label: "Country" }, { label: "ASN" }, { label: "PoP" }, { label: "RTT", align: "right" }, { label: "Why" }]}
          >
            {data.misrouted.slice(0, MISROUTED_ROWS).map((row) => (
              <tr key={`${row.probe}`}>
                <td className="py-1.5 pr-3 font-mono">{data.probes.ext[row.probe]}</td>
                <td className="py-1.5 pr-3">{data.probes.country[row.probe] ?? "–"}</td>
                <td className="py-1.5 pr-3 font-mono">{data.probes.asn[row.probe] === null ? "–" : `AS${data.probes.asn[row.probe]}`}</td>
                <td className="py-1.5 pr-3 font-mono">{popCode(row.pop)}</td>
                <td className="py-1.5 pr-3 text-right font-mono">{data.probes.rtt[row.probe] === null ? "–" : `${data.probes.rtt[row.probe]} ms`}</td>
                <td className="py-1.5 pr-3">{row.reasons.map((reason) => describeReason(reason, popCode)).join("; ")}</td>
              </tr>
            ))}
          </DataTable>
          {data.misrouted.length > MISROUTED_ROWS && <p className="mt-2 text-xs text-muted">The first {MISROUTED_ROWS} of {data.misrouted.length}.</p>}
        </>
      ) : (
        <p className="py-4 text-center text-sm text-muted">{data ? "No misrouted probes." : "Loading…"}</p>
      )}
    </Panel>
  );
});
