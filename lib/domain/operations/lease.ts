// Withdraw leases: whether a PoP whose health check failed may withdraw a prefix, not just drain it.
// Pure: the caller loads the announcements and live leases under the prefix's lock.
import type { AnnouncementSnapshot } from "./plan";
import { countsTowardFloor } from "./safety";

export type LeaseVerdict = { ok: boolean; remaining: number; floor: number; message: string };

/**
 * The floor must still hold without the requester: it counts the other PoPs that announce the
 * prefix undrained (as countsTowardFloor reads them) and hold no live lease of their own, so a
 * PoP that has a lease but has not yet reported its withdraw is not counted twice.
 */
export function leaseVerdict(input: {
  requesterPopId: number;
  cidr: string;
  safetyFloor: number;
  announcements: readonly AnnouncementSnapshot[];
  /** PoPs holding an unexpired, unreleased lease on this prefix. */
  leaseHolders: ReadonlySet<number>;
}): LeaseVerdict {
  const { requesterPopId, cidr, safetyFloor, announcements, leaseHolders } = input;
  const remaining = announcements.filter((a) => a.popId !== requesterPopId && !leaseHolders.has(a.popId) && countsTowardFloor(a)).length;
  const plural = remaining === 1 ? "" : "s";
  return remaining >= safetyFloor
    ? { ok: true, remaining, floor: safetyFloor, message: `Granted: ${cidr} stays announced undrained at ${remaining} other PoP${plural} (floor ${safetyFloor}).` }
    : {
        ok: false,
        remaining,
        floor: safetyFloor,
        message: `Refused: ${cidr} would be announced undrained at ${remaining} other PoP${plural}, below its safety floor of ${safetyFloor}. Stay drained.`,
      };
}
