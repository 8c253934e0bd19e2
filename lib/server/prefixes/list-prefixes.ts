import "server-only";
import type { Db, Tx } from "../db/create-client";
import { effectiveState } from "@/lib/domain/pop-state";
import type { ValidationResult } from "@/lib/domain/rpki";
import { getPrefixValidity } from "../rpki/get-prefix-validity";

export type PrefixRow = {
  id: number;
  cidr: string;
  family: number;
  service: string;
  description: string;
  originAsn: number;
  safetyFloor: number;
  /** PoPs announcing it undrained: what the safety floor counts. */
  announcing: number;
  drained: number;
  withdrawn: number;
  validation: ValidationResult;
};

export async function listPrefixes(db: Db | Tx): Promise<PrefixRow[]> {
  const [prefixes, validity] = await Promise.all([
    db.prefix.findMany({
      orderBy: [{ service: "asc" }, { family: "asc" }, { cidr: "asc" }],
      include: { announcements: { select: { desiredState: true, observedState: true } } },
    }),
    getPrefixValidity(db),
  ]);
  return prefixes.map((prefix) => {
    const states = prefix.announcements.map(effectiveState);
    return {
      id: prefix.id,
      cidr: prefix.cidr,
      family: prefix.family,
      service: prefix.service,
      description: prefix.description,
      originAsn: Number(prefix.originAsn),
      safetyFloor: prefix.safetyFloor,
      announcing: states.filter((state) => state === "announced").length,
      drained: states.filter((state) => state === "drained").length,
      withdrawn: states.filter((state) => state === "withdrawn").length,
      validation: validity.get(prefix.id)!,
    };
  });
}
