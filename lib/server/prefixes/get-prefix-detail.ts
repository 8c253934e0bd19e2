import "server-only";
import type { Db, Tx } from "../db/create-client";
import { cidr } from "@/lib/domain/cidr";
import { hasDrift } from "@/lib/domain/pop-state";
import { VrpIndex } from "@/lib/domain/roas/vrp-index";
import { loadCoveringVrps } from "../rpki/rpki-store";

/** A prefix with the PoPs that announce it and the ROAs that cover it. */
export async function getPrefixDetail(db: Db | Tx, id: number) {
  const prefix = await db.prefix.findUnique({
    where: { id },
    include: {
      announcements: { include: { pop: true }, orderBy: { pop: { code: "asc" } } },
      _count: { select: { operations: true, operationSteps: true } },
    },
  });
  if (!prefix) return null;
  const route = cidr(prefix.cidr);
  const index = new VrpIndex(await loadCoveringVrps(db, [route]));
  const originAsn = Number(prefix.originAsn);
  const validation = index.validate(route, originAsn);
  const matching = new Set(validation.matching);
  return {
    prefix: { ...prefix, originAsn },
    validation,
    covering: validation.covering.map((vrp) => ({
      ...vrp.roa,
      matches: matching.has(vrp),
      why: matching.has(vrp)
        ? "authorises this origin and length"
        : vrp.asn !== originAsn || vrp.asn === 0
          ? `names AS${vrp.asn}, not the origin AS${originAsn}`
          : `maxLength /${vrp.maxLength} is shorter than /${prefix.length}`,
    })),
    announcements: prefix.announcements.map((announcement) => ({ ...announcement, drift: hasDrift(announcement) })),
    inUse: { announcements: prefix.announcements.length, operations: prefix._count.operations + prefix._count.operationSteps },
  };
}
