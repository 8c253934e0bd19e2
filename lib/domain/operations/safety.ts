// The safety checks every drain, withdraw and restore passes before any agent is called.
// Pure: the caller loads the fleet's state (inside the transaction, for the floor).
import { VALIDITY_LABELS, type Validity } from "../rpki";
import { applyPlan, type AnnouncementSnapshot, type PlannedStep } from "./plan";
import type { CapacityPrediction } from "./capacity";

/** Load above this share of capacity fails the capacity check. */
export const CAPACITY_LIMIT = 0.85;

export type CheckName = "floor" | "capacity" | "rpki";

export type SafetyCheck = {
  name: CheckName;
  ok: boolean;
  message: string;
  /** Passes, but the operator should read it before confirming. */
  warning?: boolean;
  /** The prefixes a failure or warning is about, for the ways out the dialog offers. */
  prefixIds?: number[];
};

export type Verdict = { ok: boolean; checks: SafetyCheck[] };

export type PrefixFacts = { id: number; cidr: string; safetyFloor: number; validity: Validity };

/**
 * A PoP counts toward a prefix's floor only while it announces it undrained, as far as both
 * the console's desired state and the agent's last report know: the floor errs toward safety.
 */
export function countsTowardFloor(a: AnnouncementSnapshot): boolean {
  return a.desiredState === "announced" && (a.observedState === null || a.observedState === "announced");
}

/** (a) After the change, each prefix it lowers must stay announced undrained at its floor or more. */
export function checkFloor(
  steps: readonly PlannedStep[],
  announcements: readonly AnnouncementSnapshot[],
  prefixes: ReadonlyMap<number, Pick<PrefixFacts, "cidr" | "safetyFloor">>,
  popCodes: ReadonlyMap<number, string>,
): SafetyCheck {
  const lowered = [...new Set(steps.filter((step) => step.to !== "announced").map((step) => step.prefixId))];
  if (lowered.length === 0) return { name: "floor", ok: true, message: "Nothing is drained or withdrawn: the floor is not at stake." };
  const after = applyPlan(announcements, steps);
  const breaches: string[] = [];
  const margins: string[] = [];
  for (const prefixId of lowered) {
    const prefix = prefixes.get(prefixId)!;
    const remaining = after.filter((a) => a.prefixId === prefixId && countsTowardFloor(a)).length;
    if (remaining < prefix.safetyFloor) {
      const pops = [...new Set(steps.filter((s) => s.prefixId === prefixId).map((s) => popCodes.get(s.popId) ?? `#${s.popId}`))].join(", ");
      breaches.push(
        `${prefix.cidr} would be announced undrained at ${remaining} PoP${remaining === 1 ? "" : "s"}, below its safety floor of ${prefix.safetyFloor} (changing ${pops}).`,
      );
    } else {
      margins.push(`${prefix.cidr}: ${remaining} PoPs left, floor ${prefix.safetyFloor}`);
    }
  }
  return breaches.length
    ? { name: "floor", ok: false, message: `Refused by the safety floor: ${breaches.join(" ")}` }
    : { name: "floor", ok: true, message: `Floor holds (${margins.join("; ")}).` };
}

/** (b) The PoPs that inherit the catchment must stay at or under 85 % of capacity (an estimate). */
export function checkCapacity(prediction: CapacityPrediction): SafetyCheck {
  const over = prediction.receivers.filter((r) => r.capacityBps > 0 && r.predictedBps / r.capacityBps > CAPACITY_LIMIT);
  if (prediction.movedProbes === 0) {
    return { name: "capacity", ok: true, message: "Estimate: no measured probe moves, so no PoP takes more load." };
  }
  if (over.length === 0) {
    const worst = [...prediction.receivers].sort((a, b) => b.predictedBps / b.capacityBps - a.predictedBps / a.capacityBps)[0];
    return {
      name: "capacity",
      ok: true,
      message: `Estimate: every receiving PoP stays at or under 85 %${worst ? ` (highest: ${worst.code} at ${Math.round((worst.predictedBps / worst.capacityBps) * 100)} %)` : ""}.`,
    };
  }
  const list = over.map((r) => `${r.code} would reach ${Math.round((r.predictedBps / r.capacityBps) * 100)} %`).join(", ");
  return { name: "capacity", ok: false, message: `Estimate: ${list} of capacity, above the 85 % limit.` };
}

const isInvalid = (prefix: PrefixFacts) => prefix.validity === "invalid_asn" || prefix.validity === "invalid_length";
const invalidList = (prefixes: readonly PrefixFacts[]) => prefixes.map((prefix) => `${prefix.cidr} is RPKI ${VALIDITY_LABELS[prefix.validity]}`).join(", ");

/**
 * (c) Nothing may be announced anew (restored after a withdraw) whose origin is RPKI-invalid:
 * much of the internet would drop it. Undoing a drain only removes prepends from a route
 * already in the table, so it is not refused: an operator can always undo a drain. Withdrawing
 * an invalid prefix passes but warns: its restore will be refused, a door an operator cannot
 * open again alone. `prefixIds` names the prefixes a failure or warning is about.
 */
export function checkRpki(steps: readonly PlannedStep[], prefixes: ReadonlyMap<number, PrefixFacts>): SafetyCheck {
  const prefixesOf = (keep: (step: PlannedStep) => boolean) => [...new Set(steps.filter(keep).map((step) => step.prefixId))].map((id) => prefixes.get(id)!);
  const announcing = prefixesOf((step) => step.from === "withdrawn" && step.to !== "withdrawn");
  const undrained = prefixesOf((step) => step.from === "drained" && step.to === "announced").filter(isInvalid);
  // Said out loud, so an operator undoing a drain at 3 a.m. knows why it is let through.
  const undrainNote = undrained.length
    ? ` ${invalidList(undrained)}, but undoing a drain only removes prepends from a route already in the table, so it is not refused: fix the ROA.`
    : "";
  if (announcing.length === 0) {
    const withdrawn = prefixesOf((step) => step.from !== "withdrawn" && step.to === "withdrawn").filter(isInvalid);
    if (withdrawn.length) {
      const others = prefixesOf((step) => step.to === "withdrawn").length > withdrawn.length ? " Withdraw the other prefixes only," : "";
      return {
        name: "rpki",
        ok: true,
        warning: true,
        prefixIds: withdrawn.map((prefix) => prefix.id),
        message:
          `Withdrawing is allowed, but ${invalidList(withdrawn)}: restoring ${withdrawn.length === 1 ? "it" : "them"} afterwards will be refused ` +
          `(nothing RPKI-invalid is announced anew) until the ROA is fixed or an admin overrides.${others}${others ? " or d" : " D"}rain instead: undoing a drain is always allowed.`,
      };
    }
    return { name: "rpki", ok: true, message: `Nothing is announced anew: RPKI is not at stake.${undrainNote}` };
  }
  const invalid = announcing.filter(isInvalid);
  if (invalid.length === 0) {
    const notFound = announcing.filter((prefix) => prefix.validity === "not_found");
    return {
      name: "rpki",
      ok: true,
      message: notFound.length ? `No RPKI-invalid origin; ${notFound.map((p) => p.cidr).join(", ")} has no covering ROA (NotFound).` : "Every announced origin is RPKI-valid.",
    };
  }
  const others = prefixesOf(() => true).filter((prefix) => !invalid.includes(prefix));
  const waysOut = [
    others.length ? `restore the other prefixes only (${others.map((prefix) => prefix.cidr).join(", ")})` : null,
    "ask an admin to override with a written reason",
    "fix the ROA",
  ].filter(Boolean);
  return {
    name: "rpki",
    ok: false,
    prefixIds: invalid.map((prefix) => prefix.id),
    message: `Refused: ${invalidList(invalid)}; networks that validate would drop it. Ways out: ${waysOut.join(", or ")}.`,
  };
}

export function verdictOf(checks: SafetyCheck[]): Verdict {
  return { ok: checks.every((check) => check.ok), checks };
}
