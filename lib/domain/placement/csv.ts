// The placement review as CSV, to attach to a ticket: the N-1 table and a scenario's result.
import { csvRecord } from "../csv";
import type { NMinusOneRow } from "./n-minus-one";
import type { ScenarioResult } from "./scenario";

const round = (value: number | null, digits = 1) => (value === null ? null : Number(value.toFixed(digits)));
const gbps = (bps: number) => round(bps / 1e9, 3);

export function nMinusOneCsv(rows: readonly NMinusOneRow[]): string {
  let csv = csvRecord(["pop_lost", "breaks", "over_85_percent", "floor_breach", "stranded_answers", "highest_pop", "highest_utilisation", "receivers", "moved_answers", "moved_observed", "moved_inferred", "moved_fallback"]);
  for (const row of rows) {
    csv += csvRecord([
      row.code,
      row.breaks ? "yes" : "no",
      row.overLimit.map((load) => `${load.code} ${Math.round(load.utilisation * 100)}%`).join("; "),
      row.floorBreach,
      row.stranded,
      row.highest?.code ?? null,
      row.highest ? round(row.highest.utilisation, 3) : null,
      row.receivers.map((receiver) => `${receiver.code} ${gbps(receiver.predictedBps)}/${gbps(receiver.capacityBps)} Gbps`).join("; "),
      row.movedProbes,
      row.movedBy.observed,
      row.movedBy.inferred,
      row.movedBy.fallback,
    ]);
  }
  return csv;
}

/** A scenario's result: one section per table, each with its own header, as a spreadsheet opens it. */
export function scenarioCsv(name: string, prefix: string, result: ScenarioResult): string {
  let csv = csvRecord(["scenario", name]) + csvRecord(["prefix", prefix]) + csvRecord(["estimate", "predicted by the catchment model at the 7-day peak"]);
  csv += csvRecord(["moved_answers", result.movedProbes]) + csvRecord(["stranded_answers", result.stranded]);
  csv += csvRecord(["moved_observed", result.movedBy.observed]) + csvRecord(["moved_inferred", result.movedBy.inferred]) + csvRecord(["moved_fallback", result.movedBy.fallback]);
  csv += "\r\n" + csvRecord(["region", "probes", "p50_ms_now", "p50_ms_after", "p90_ms_now", "p90_ms_after"]);
  for (const region of result.regions) {
    csv += csvRecord([region.region, region.probes, round(region.before.p50Ms), round(region.after.p50Ms), round(region.before.p90Ms), round(region.after.p90Ms)]);
  }
  csv += "\r\n" + csvRecord(["pop", "new", "capacity_gbps", "peak_gbps_now", "peak_gbps_after", "utilisation_after"]);
  for (const load of result.loads) {
    csv += csvRecord([load.code, load.candidate ? "yes" : "no", gbps(load.capacityBps), gbps(load.beforeBps), gbps(load.afterBps), load.capacityBps > 0 ? round(load.afterBps / load.capacityBps, 3) : null]);
  }
  return csv;
}
