// N-1 resilience for placement review (issue 16): for every PoP, what its loss would do, the
// table a team lead brings to a capacity meeting. Each row is the withdraw a console operator
// would be shown for that PoP (the same plan, floor check, catchment model and capacity
// check), evaluated with every PoP at its peak of the period instead of its traffic now.
import { predictWithModel, type CapacityModel, type Receiver } from "../operations/capacity";
import { planOperation, type AnnouncementSnapshot } from "../operations/plan";
import { CAPACITY_LIMIT, checkFloor, type PrefixFacts } from "../operations/safety";
import { scenarioOf } from "../catchment/console-state";
import type { EvidenceKind } from "../catchment/model";

export type NMinusOneRow = {
  popId: number;
  code: string;
  /** Answers of the lost PoP's catchment that move, and those that would find no PoP at all. */
  movedProbes: number;
  stranded: number;
  movedBy: Record<EvidenceKind, number>;
  /** The PoPs taking its traffic, most probes first, with their predicted load at the peak. */
  receivers: Receiver[];
  /** The busiest receiver's predicted utilisation (0..), null when no probe moves. */
  highest: { code: string; utilisation: number } | null;
  /** Receivers predicted over the 85 % limit. */
  overLimit: { code: string; utilisation: number }[];
  /** The floor check's message when the loss would leave a prefix below its safety floor. */
  floorBreach: string | null;
  breaks: boolean;
};

const utilisationOf = (receiver: Receiver) => (receiver.capacityBps > 0 ? receiver.predictedBps / receiver.capacityBps : Infinity);

/**
 * One row per PoP that announces anything, worst first: those that break a limit, then by the
 * highest predicted utilisation. `built`: the capacity model of every prefix, with each PoP's
 * `currentBps` set to the load to test (its peak over the period).
 */
export function nMinusOne(
  built: CapacityModel,
  announcements: readonly AnnouncementSnapshot[],
  prefixes: ReadonlyMap<number, Pick<PrefixFacts, "cidr" | "safetyFloor">>,
  popCodes: ReadonlyMap<number, string>,
): NMinusOneRow[] {
  const rows: NMinusOneRow[] = [];
  for (const [popId, code] of popCodes) {
    const steps = planOperation({ kind: "withdraw", popIds: [popId], prefixIds: null, prependCount: 0 }, announcements).filter((step) => built.prefixes.has(step.prefixId));
    if (steps.length === 0) continue;
    const prefixIds = [...new Set(steps.map((step) => step.prefixId))];
    const { capacity } = predictWithModel(built, new Map(prefixIds.map((prefixId) => [prefixId, scenarioOf(steps, prefixId)])), [], { store: false });
    const floor = checkFloor(steps, announcements, prefixes, popCodes);
    const loads = capacity.receivers.map((receiver) => ({ code: receiver.code, utilisation: utilisationOf(receiver) })).sort((a, b) => b.utilisation - a.utilisation);
    const overLimit = loads.filter((load) => load.utilisation > CAPACITY_LIMIT);
    rows.push({
      popId,
      code,
      movedProbes: capacity.movedProbes,
      stranded: capacity.stranded,
      movedBy: capacity.movedBy,
      receivers: capacity.receivers,
      highest: loads[0] ?? null,
      overLimit,
      floorBreach: floor.ok ? null : floor.message,
      breaks: overLimit.length > 0 || !floor.ok || capacity.stranded > 0,
    });
  }
  return rows.sort((a, b) => Number(b.breaks) - Number(a.breaks) || (b.highest?.utilisation ?? 0) - (a.highest?.utilisation ?? 0) || a.code.localeCompare(b.code));
}
