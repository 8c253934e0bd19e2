// Which PoP gave an answer. Each PoP declares the identities its servers name themselves with
// (a CHAOS TXT hostname.bind / id.server answer, an NSID, a CNAME target: one namespace): exact
// strings ("ams1.ns.example") and patterns with `*` ("ams1-*.ns.example").
//
// Rules:
// - Comparison ignores case, surrounding spaces and one trailing dot.
// - An exact identity beats any pattern.
// - `*` stands for one or more characters, dots included: "ams1-*.ns.example" matches
//   "ams1-a.ns.example" and "ams1-r1.b.ns.example" but not "ams1-.ns.example".
// - Several patterns from different PoPs: the most specific wins, i.e. the one with the most
//   literal (non-`*`) characters, so "ams1-*.ns.example" beats a catch-all "*.ns.example".
//   A tie between PoPs, or one exact identity declared by two PoPs, is ambiguous: no PoP, and
//   the summary lists the answer with the PoPs it could be.
import { z } from "zod";

export type PopIdentities = { code: string; identities: string[] };

export type PopMatch =
  | { status: "matched"; code: string }
  | { status: "unmatched" }
  | { status: "ambiguous"; codes: string[] };

type Pattern = { code: string; regex: RegExp; literal: number };

export function normaliseIdentity(text: string): string {
  return text.trim().toLowerCase().replace(/\.$/, "");
}

/** A matcher for many answers against the same PoPs; answers repeat, so results are cached. */
export function createPopMatcher(pops: readonly PopIdentities[]): (answer: string) => PopMatch {
  const exact = new Map<string, Set<string>>();
  const patterns: Pattern[] = [];
  for (const pop of pops) {
    for (const identity of pop.identities) {
      const normal = normaliseIdentity(identity);
      if (!normal) continue;
      if (normal.includes("*")) {
        patterns.push({ code: pop.code, regex: globRegex(normal), literal: normal.replace(/\*/g, "").length });
      } else {
        exact.set(normal, (exact.get(normal) ?? new Set()).add(pop.code));
      }
    }
  }
  const cache = new Map<string, PopMatch>();
  return (answer) => {
    const normal = normaliseIdentity(answer);
    let match = cache.get(normal);
    if (!match) {
      match = resolve(normal, exact, patterns);
      cache.set(normal, match);
    }
    return match;
  };
}

/** The PoP that gave `answer`, or null when none does or the answer is ambiguous. */
export function matchPop(answer: string, pops: readonly PopIdentities[]): string | null {
  const match = createPopMatcher(pops)(answer);
  return match.status === "matched" ? match.code : null;
}

function resolve(answer: string, exact: Map<string, Set<string>>, patterns: Pattern[]): PopMatch {
  const exactCodes = exact.get(answer);
  if (exactCodes) return verdict([...exactCodes]);
  let best = -1;
  let codes = new Set<string>();
  for (const pattern of patterns) {
    if (pattern.literal < best || !pattern.regex.test(answer)) continue;
    if (pattern.literal > best) {
      best = pattern.literal;
      codes = new Set();
    }
    codes.add(pattern.code);
  }
  return verdict([...codes]);
}

function verdict(codes: string[]): PopMatch {
  if (codes.length === 0) return { status: "unmatched" };
  if (codes.length === 1) return { status: "matched", code: codes[0]! };
  return { status: "ambiguous", codes: codes.sort() };
}

function globRegex(pattern: string): RegExp {
  const body = pattern
    .replace(/\*+/g, "*")
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${body}$`, "s");
}

/** A `--pops` file, or any JSON list of PoPs with their identities. */
export const popIdentitiesList = z.array(
  z.object({
    code: z.string().trim().min(1, "A PoP needs a code."),
    identities: z.array(z.string()).default([]),
  }),
);
