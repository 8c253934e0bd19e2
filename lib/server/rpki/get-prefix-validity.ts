import "server-only";
import { cidr } from "@/lib/domain/cidr";
import type { ValidationResult } from "@/lib/domain/rpki";
import type { EffectiveVrp } from "@/lib/domain/roas/roa-import";
import { VrpIndex } from "@/lib/domain/roas/vrp-index";
import type { Db, Tx } from "../db/create-client";
import { loadCoveringVrps } from "./rpki-store";

export type PrefixValidation = Omit<ValidationResult, "covering" | "matching"> & { covering: EffectiveVrp[]; matching: EffectiveVrp[] };

/**
 * RFC 6811 validity of each prefix's origin, keyed by prefix id, against the effective VRPs
 * (unexpired, after SLURM filters). Every PoP announces a prefix with its one origin.
 */
export async function getPrefixValidity(client: Db | Tx): Promise<Map<number, PrefixValidation>> {
  const prefixes = await client.prefix.findMany({ select: { id: true, cidr: true, originAsn: true } });
  const routes = prefixes.map((prefix) => ({ id: prefix.id, route: cidr(prefix.cidr), originAsn: Number(prefix.originAsn) }));
  const index = new VrpIndex(await loadCoveringVrps(client, routes.map((r) => r.route)));
  return new Map(routes.map(({ id, route, originAsn }) => [id, index.validate(route, originAsn)]));
}
