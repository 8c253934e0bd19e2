// N-1 resilience for placement review (issue 16): for every PoP, what its loss would do, the
// table a team lead brings to a capacity meeting. Each row is the withdraw a console operator
// would be shown for that PoP (the same plan, floor check, catchment model and capacity
// check), evaluated with every PoP at its peak of the period instead of its traffic now.
import { predictWithModel, weight, type CapacityModel, type PopLoad, type Receiver } from "../operations/capacity";
import { planOperation, type AnnouncementSnapshot, type PlannedStep } from "../operations/plan";
import { CAPACITY_LIMIT, checkFloor, type PrefixFacts } from "../operations/safety";
import { scenarioOf } from "../catchment/console-state";
import type { EvidenceKind, Id, PopRouting, Scenario } from "../catchment/model";
import { candidateLoads, modelScenario, type ResolvedScenario } from "./scenario";

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

/** The model's scenario for one prefix with one more PoP lost: a stored PoP withdraws (whatever the scenario did to it), a candidate is not added. */
function losing(base: Scenario, lost: number, announces: boolean): Scenario {
  if (lost < 0) return { ...base, added: (base.added ?? []).filter((pop) => pop.id !== lost) };
  if (!announces) return base;
  const changes: PopRouting[] = [...(base.changes ?? []).filter((change) => change.popId !== lost), { popId: lost, state: "withdrawn" }];
  return { ...base, changes };
}

/**
 * The N-1 table after a scenario: for every PoP the scenario leaves (stored ones it keeps, and
 * its candidates), what losing it as well would do, at the loads of `built` (each PoP at its
 * peak). The scenario is predicted once; each loss then decides only the probes the scenario
 * puts on the lost PoP. A receiver's `currentBps` is its load under the scenario,
 * `predictedBps` its load once the PoP is lost too. `announcing`: per prefix, the PoPs
 * announcing it now.
 */
export function nMinusOneAfter(
  built: CapacityModel,
  scenario: ResolvedScenario,
  announcing: ReadonlyMap<number, ReadonlySet<number>>,
  announcements: readonly AnnouncementSnapshot[],
  prefixes: ReadonlyMap<number, Pick<PrefixFacts, "cidr" | "safetyFloor">>,
  popCodes: ReadonlyMap<number, string>,
): NMinusOneRow[] {
  const candidates = candidateLoads(scenario);
  const popById = new Map<number, PopLoad>([...built.popById, ...candidates.map((pop) => [pop.id, pop] as const)]);
  const codes = new Map([...popCodes, ...candidates.map((pop) => [pop.id, pop.code] as const)]);
  const prefixIds = [...built.prefixes.keys()];
  const base = new Map(prefixIds.map((prefixId) => [prefixId, modelScenario(scenario, announcing.get(prefixId) ?? new Set())]));

  // Under the scenario: each PoP's load, and the probes on each PoP (per prefix).
  const loadUnder = new Map([...popById.values()].map((pop) => [pop.id, pop.currentBps]));
  const onPop = new Map<number, Map<number, Id[]>>();
  for (const [prefixId, model] of base) {
    const prefix = built.prefixes.get(prefixId)!;
    for (const probe of prefix.model.predict(model).probes) {
      const answer = prefix.byId.get(probe.probeId as number)!;
      if (probe.popId !== probe.measuredPopId) {
        const bps = built.bpsPerAnswer(answer.popId) * weight(answer);
        loadUnder.set(answer.popId, loadUnder.get(answer.popId)! - bps);
        if (probe.popId !== null) loadUnder.set(probe.popId as number, loadUnder.get(probe.popId as number)! + bps);
      }
      if (probe.popId === null) continue;
      const byPrefix = onPop.get(probe.popId as number) ?? onPop.set(probe.popId as number, new Map()).get(probe.popId as number)!;
      (byPrefix.get(prefixId) ?? byPrefix.set(prefixId, []).get(prefixId)!).push(probe.probeId);
    }
  }

  // The fleet as the scenario leaves it, for the floor: its PoPs withdrawn or drained, its candidates announcing every prefix.
  const scenarioSteps: PlannedStep[] = [
    ...planOperation({ kind: "withdraw", popIds: [...scenario.removed], prefixIds: null, prependCount: 0 }, announcements),
    ...[...scenario.prepends].flatMap(([popId, prepends]) => (prepends > 0 ? planOperation({ kind: "drain", popIds: [popId], prefixIds: null, prependCount: prepends }, announcements) : [])),
  ];
  const withCandidates: AnnouncementSnapshot[] = [
    ...announcements,
    ...candidates.flatMap((pop) => prefixIds.map((prefixId) => ({ popId: pop.id, prefixId, desiredState: "announced" as const, prependCount: 0, observedState: "announced" as const, observedPrepend: 0 }))),
  ];

  const kept = [...popCodes.keys()].filter((popId) => !scenario.removed.includes(popId) && prefixIds.some((prefixId) => announcing.get(prefixId)?.has(popId)));
  const rows: NMinusOneRow[] = [];
  for (const popId of [...kept, ...candidates.map((pop) => pop.id)]) {
    const arriving = new Map<number, { bps: number; probes: number }>();
    const movedBy: Record<EvidenceKind, number> = { observed: 0, inferred: 0, fallback: 0 };
    let stranded = 0;
    for (const [prefixId, probeIds] of onPop.get(popId) ?? []) {
      const prefix = built.prefixes.get(prefixId)!;
      const lost = losing(base.get(prefixId)!, popId, announcing.get(prefixId)?.has(popId) ?? false);
      for (const probe of prefix.model.predict(lost, { probes: probeIds }).probes) {
        const answer = prefix.byId.get(probe.probeId as number)!;
        const count = weight(answer);
        movedBy[probe.evidence] += count;
        if (probe.popId === null) {
          stranded += count;
          continue;
        }
        const entry = arriving.get(probe.popId as number) ?? { bps: 0, probes: 0 };
        entry.bps += built.bpsPerAnswer(answer.popId) * count;
        entry.probes += count;
        arriving.set(probe.popId as number, entry);
      }
    }
    const receivers: Receiver[] = [...arriving]
      .map(([receiverId, entry]) => ({
        popId: receiverId,
        code: codes.get(receiverId) ?? popById.get(receiverId)!.code,
        currentBps: loadUnder.get(receiverId)!,
        predictedBps: loadUnder.get(receiverId)! + entry.bps,
        capacityBps: popById.get(receiverId)!.capacityBps,
        probes: entry.probes,
      }))
      .sort((a, b) => b.probes - a.probes);
    const loads = receivers.map((receiver) => ({ code: receiver.code, utilisation: utilisationOf(receiver) })).sort((a, b) => b.utilisation - a.utilisation);
    const overLimit = loads.filter((load) => load.utilisation > CAPACITY_LIMIT);
    const lossSteps = popId < 0 ? prefixIds.map((prefixId): PlannedStep => ({ popId, prefixId, from: "announced", to: "withdrawn", prependCount: 0 })) : planOperation({ kind: "withdraw", popIds: [popId], prefixIds: null, prependCount: 0 }, announcements);
    const floor = checkFloor([...scenarioSteps, ...lossSteps], withCandidates, prefixes, codes);
    rows.push({
      popId,
      code: codes.get(popId)!,
      movedProbes: receivers.reduce((sum, receiver) => sum + receiver.probes, 0),
      stranded,
      movedBy,
      receivers,
      highest: loads[0] ?? null,
      overLimit,
      floorBreach: floor.ok ? null : floor.message,
      breaks: overLimit.length > 0 || !floor.ok || stranded > 0,
    });
  }
  return rows.sort((a, b) => Number(b.breaks) - Number(a.breaks) || (b.highest?.utilisation ?? 0) - (a.highest?.utilisation ?? 0) || a.code.localeCompare(b.code));
}
