import { describe, expect, it } from "vitest";
import type { AnnouncementSnapshot } from "./plan";
import { leaseVerdict } from "./lease";

const at = (popId: number, over: Partial<AnnouncementSnapshot> = {}): AnnouncementSnapshot => ({ popId, prefixId: 1, desiredState: "announced", prependCount: 0, observedState: "announced", observedPrepend: 0, ...over });
const verdict = (announcements: AnnouncementSnapshot[], safetyFloor: number, leaseHolders: number[] = [], requesterPopId = 1) =>
  leaseVerdict({ requesterPopId, cidr: "192.0.2.0/24", safetyFloor, announcements, leaseHolders: new Set(leaseHolders) });

describe("withdraw lease verdict", () => {
  it("grants while the other PoPs announcing undrained meet the floor", () => {
    expect(verdict([at(1), at(2), at(3)], 2)).toMatchObject({ ok: true, remaining: 2 });
    expect(verdict([at(1), at(2), at(3)], 3)).toMatchObject({ ok: false, remaining: 2 });
  });

  it("does not count drained, withdrawn, or desired-drained PoPs, nor the requester itself", () => {
    const fleet = [at(1), at(2, { observedState: "drained" }), at(3, { desiredState: "drained" }), at(4, { observedState: "withdrawn" }), at(5)];
    expect(verdict(fleet, 1)).toMatchObject({ ok: true, remaining: 1 });
    expect(verdict(fleet, 2)).toMatchObject({ ok: false, remaining: 1 });
  });

  it("does not count PoPs holding a live lease", () => {
    expect(verdict([at(1), at(2), at(3)], 2, [2])).toMatchObject({ ok: false, remaining: 1 });
  });

  it("in a correlated failure every PoP has drained, so none may withdraw", () => {
    const fleet = [1, 2, 3, 4].map((id) => at(id, { observedState: "drained" }));
    for (const id of [1, 2, 3, 4]) expect(verdict(fleet, 1, [], id).ok).toBe(false);
  });

  it("one after another, at most PoPs minus floor are granted", () => {
    const fleet = [1, 2, 3, 4, 5].map((id) => at(id));
    const holders: number[] = [];
    for (const id of [1, 2, 3, 4, 5]) if (verdict(fleet, 2, holders, id).ok) holders.push(id);
    expect(holders).toEqual([1, 2, 3]);
  });

  it("explains itself in the operator's words", () => {
    expect(verdict([at(1), at(2)], 2).message).toBe("Refused: 192.0.2.0/24 would be announced undrained at 1 other PoP, below its safety floor of 2. Stay drained.");
  });
});
