// What the lab's clients see: each client's answers as its prober wrote them, and waits on the
// catchment they add up to. The tests and the bench read BGP's real outcome here.
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { LabInfo } from "./lab";

/** Each client's latest result, as it received it. */
export type ClientResult = { client: number; t: number; rtMs: number | null; answer: string | null; error: string | null };

/** Every result a client has received since `since` (ms epoch). */
export function readClientResults(info: LabInfo, clientIndex: number, since = 0): ClientResult[] {
  const client = info.clients.find((candidate) => candidate.index === clientIndex)!;
  let text: string;
  try {
    text = readFileSync(client.resultsFile, "utf8");
  } catch {
    return [];
  }
  const results: ClientResult[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const record = JSON.parse(line) as { t: number; rt: number | null; answer: string | null; error: string | null };
      if (record.t >= since) results.push({ client: clientIndex, t: record.t, rtMs: record.rt, answer: record.answer, error: record.error });
    } catch {
      // a line being written
    }
  }
  return results;
}

/** Which PoP code answered each client most recently (null: no answer). */
export function currentCatchment(info: LabInfo, since = 0): Map<number, string | null> {
  const byIdentity = new Map(info.pops.map((pop) => [pop.identity, pop.code]));
  return new Map(
    info.clients.map((client) => {
      const last = readClientResults(info, client.index, since).at(-1);
      return [client.index, last?.answer ? (byIdentity.get(last.answer) ?? last.answer) : null];
    }),
  );
}

/**
 * Waits until every client's answers (sent after `since`) come from the expected PoP;
 * resolves with the time (ms epoch) of the query at which the last client got there.
 */
export async function waitForCatchment(info: LabInfo, expected: Record<number, string>, since: number, timeoutMs = 15_000): Promise<number> {
  const byIdentity = new Map(info.pops.map((pop) => [pop.identity, pop.code]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let settledAt = 0;
    let ok = true;
    for (const [client, code] of Object.entries(expected)) {
      const results = readClientResults(info, Number(client), since);
      const last = results.at(-1);
      if (!last || (last.answer ? byIdentity.get(last.answer) : null) !== code) {
        ok = false;
        break;
      }
      // The first query of the final run of answers from the expected PoP.
      let first = results.length - 1;
      while (first > 0 && results[first - 1]!.answer !== null && byIdentity.get(results[first - 1]!.answer!) === code) first -= 1;
      settledAt = Math.max(settledAt, results[first]!.t);
    }
    if (ok) return settledAt;
    if (Date.now() > deadline) {
      const seen = Object.fromEntries([...currentCatchment(info, since)].map(([client, code]) => [`c${client}`, code]));
      throw new Error(`lab: clients did not converge to ${JSON.stringify(expected)} within ${timeoutMs} ms; now ${JSON.stringify(seen)}`);
    }
    await sleep(50);
  }
}

/**
 * Waits until each of `clients` is answered by a PoP other than `fromCode`, and has kept the same
 * answer for `stableMs` (BGP can hunt: a client may reach one PoP for a moment before its routers
 * settle on another); resolves with the time of the query at which the last of them got its first
 * answer after leaving it, and the PoP each of them settled on.
 */
export async function waitForMoveAway(info: LabInfo, clients: number[], fromCode: string, since: number, timeoutMs = 15_000, stableMs = 1500): Promise<{ settledAt: number; now: Map<number, string> }> {
  const identity = info.pops.find((pop) => pop.code === fromCode)!.identity;
  const byIdentity = new Map(info.pops.map((pop) => [pop.identity, pop.code]));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let settledAt = 0;
    const now = new Map<number, string>();
    for (const client of clients) {
      const results = readClientResults(info, client, since);
      const last = results.at(-1);
      if (!last?.answer || last.answer === identity) break;
      let sameSince = results.length - 1;
      while (sameSince > 0 && results[sameSince - 1]!.answer === last.answer) sameSince -= 1;
      if (Date.now() - results[sameSince]!.t < stableMs) break;
      let first = sameSince;
      while (first > 0 && results[first - 1]!.answer !== null && results[first - 1]!.answer !== identity) first -= 1;
      settledAt = Math.max(settledAt, results[first]!.t);
      now.set(client, byIdentity.get(last.answer) ?? last.answer);
    }
    if (now.size === clients.length) return { settledAt, now };
    if (Date.now() > deadline) throw new Error(`lab: clients ${clients.join(", ")} did not all leave ${fromCode} and settle within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The catchment with every PoP announced (what BGP gives this topology). */
export const BASELINE_CATCHMENT: Record<number, string> = { 1: "AMS1", 2: "FRA1", 3: "NYC1", 4: "SIN1", 5: "SIN1", 6: "AMS1" };
