import "server-only";
import { cidr } from "@/lib/domain/cidr";
import { hasDrift } from "@/lib/domain/pop-state";
import { validateOrigin } from "@/lib/domain/rpki";
import { db } from "../db/client";
import { listRoas, toVrps } from "../rpki/get-prefix-validity";

/** A prefix with the PoPs that announce it and the ROAs that cover it. */
export async function getPrefixDetail(id: number) {
  const prefix = await db.prefix.findUnique({
    where: { id },
    include: { announcements: { include: { pop: true }, orderBy: { pop: { code: "asc" } } } },
  });
  if (!prefix) return null;
  const vrps = toVrps(await listRoas());
  const originAsn = Number(prefix.originAsn);
  const validation = validateOrigin(cidr(prefix.cidr), originAsn, vrps);
  const matching = new Set(validation.matching);
  const covering = vrps.filter((vrp) => validation.covering.includes(vrp));
  return {
    prefix: { ...prefix, originAsn },
    validation,
    covering: covering.map((vrp) => ({
      ...vrp.roa,
      matches: matching.has(vrp),
      why: matching.has(vrp)
        ? "authorises this origin and length"
        : vrp.asn !== originAsn || vrp.asn === 0
          ? `names AS${vrp.asn}, not the origin AS${originAsn}`
          : `maxLength /${vrp.maxLength} is shorter than /${prefix.length}`,
    })),
    announcements: prefix.announcements.map((announcement) => ({ ...announcement, drift: hasDrift(announcement) })),
  };
}
