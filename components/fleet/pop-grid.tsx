import Link from "next/link";
import { formatPercent } from "@/lib/domain/format";
import type { PopAnnouncementState } from "@/lib/domain/pop-state";

export type PopTile = {
  code: string;
  city: string;
  status: string;
  announcementState: PopAnnouncementState;
  agentHealth: string;
  drift: boolean;
  utilisation: number | null;
};

const BORDER: Record<PopAnnouncementState, string> = {
  announced: "border-ok/60",
  drained: "border-drained/70",
  withdrawn: "border-bad/70",
  mixed: "border-warn/70",
  none: "border-line",
};

function utilisationColor(utilisation: number) {
  return utilisation > 0.85 ? "bg-bad" : utilisation > 0.7 ? "bg-warn" : "bg-ok";
}

/** One tile per PoP, readable from across a NOC: state by border colour, load by bar. */
export function PopGrid({ pops }: { pops: PopTile[] }) {
  return (
    <ul className="grid grid-cols-[repeat(auto-fill,minmax(7.5rem,1fr))] gap-2" aria-label="PoPs by state">
      {pops.map((pop) => {
        const flags = [
          pop.status !== "active" && pop.status,
          pop.announcementState !== "announced" && pop.announcementState,
          pop.drift && "drift",
          (pop.agentHealth === "stale" || pop.agentHealth === "unreachable") && `agent ${pop.agentHealth}`,
        ].filter(Boolean);
        return (
          <li key={pop.code}>
            <Link
              href={`/pops/${pop.code}`}
              className={`block rounded-md border-2 bg-panel-2 px-2.5 py-2 hover:bg-panel ${BORDER[pop.announcementState]}`}
              title={`${pop.code} ${pop.city}: ${[pop.announcementState, ...flags].join(", ")}`}
            >
              <div className="flex items-baseline justify-between gap-1">
                <span className="font-mono text-sm font-semibold">{pop.code}</span>
                <span className="font-mono text-xs text-muted tabular-nums">{pop.utilisation === null ? "–" : formatPercent(pop.utilisation)}</span>
              </div>
              <div className="truncate text-xs text-muted">{flags.length ? flags.join(" · ") : pop.city}</div>
              <div className="mt-1.5 h-1 overflow-hidden rounded bg-line">
                {pop.utilisation !== null && (
                  <div className={`h-full ${utilisationColor(pop.utilisation)}`} style={{ width: `${Math.min(100, pop.utilisation * 100)}%` }} />
                )}
              </div>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function ShareBars({ rows }: { rows: { code: string; share: number }[] }) {
  const max = Math.max(...rows.map((row) => row.share), 0.0001);
  return (
    <ol className="space-y-1.5" aria-label="Catchment share by PoP">
      {rows.map((row) => (
        <li key={row.code} className="grid grid-cols-[4rem_1fr_3.5rem] items-center gap-2 text-sm">
          <Link href={`/pops/${row.code}`} className="font-mono hover:text-accent">
            {row.code}
          </Link>
          <div className="h-2.5 rounded bg-line">
            <div className="h-full rounded bg-accent" style={{ width: `${(row.share / max) * 100}%` }} />
          </div>
          <span className="text-right font-mono tabular-nums">{formatPercent(row.share, 1)}</span>
        </li>
      ))}
    </ol>
  );
}
