import "server-only";
import type { PopInput } from "@/lib/domain/pop-input";
import { recordAudit, type Actor } from "../audit";
import type { Db, Tx } from "../db/create-client";
import { AppError } from "../errors";

/** Unique index -> form field, so a duplicate shows next to its field. */
export const POP_UNIQUE_FIELDS = { pop_code_key: "code", upstream_pop_id_peer_address_key: "upstreams" };

function popData(input: PopInput) {
  return {
    code: input.code,
    name: input.name,
    city: input.city,
    country: input.country,
    latitude: input.latitude,
    longitude: input.longitude,
    region: input.region,
    capacityGbps: input.capacityGbps,
    status: input.status,
    agentUrl: input.agentUrl,
    identities: input.identities,
    ...(input.agentSecret ? { agentSecret: input.agentSecret } : {}),
  };
}

function duplicatePeer(input: PopInput): string | null {
  const seen = new Set<string>();
  for (const upstream of input.upstreams) {
    if (seen.has(upstream.peerAddress)) return upstream.peerAddress;
    seen.add(upstream.peerAddress);
  }
  return null;
}

async function replaceUpstreams(tx: Tx, popId: number, input: PopInput) {
  const keep = input.upstreams.flatMap((upstream) => (upstream.id ? [upstream.id] : []));
  await tx.upstream.deleteMany({ where: { popId, id: { notIn: keep } } });
  for (const upstream of input.upstreams) {
    const data = { name: upstream.name, kind: upstream.kind, peerAsn: BigInt(upstream.peerAsn), peerAddress: upstream.peerAddress };
    if (upstream.id) {
      // Scoped by PoP: an id from another PoP's form updates nothing.
      const { count } = await tx.upstream.updateMany({ where: { id: upstream.id, popId }, data });
      if (count === 0) throw new AppError("not_found", "An upstream on this form no longer exists. Reload the page.");
    } else {
      await tx.upstream.create({ data: { ...data, popId } });
    }
  }
}

function checkUpstreams(input: PopInput) {
  const duplicate = duplicatePeer(input);
  if (duplicate) {
    throw new AppError("invalid_input", "Two upstreams share a peer address.", { upstreams: [`${duplicate} is listed twice.`] });
  }
}

export async function createPop(db: Db, input: PopInput, actor: Actor, ip: string | null) {
  checkUpstreams(input);
  return db.$transaction(async (tx) => {
    const pop = await tx.pop.create({ data: popData(input) });
    await replaceUpstreams(tx, pop.id, input);
    await recordAudit(tx, actor, {
      action: "pop.create",
      target: { type: "pop", id: pop.code },
      popId: pop.id,
      detail: { ...popData(input), agentSecret: input.agentSecret ? "set" : "none", upstreams: input.upstreams.length },
      ip,
    });
    return pop;
  });
}

export async function updatePop(db: Db, code: string, input: PopInput, actor: Actor, ip: string | null) {
  checkUpstreams(input);
  return db.$transaction(async (tx) => {
    const before = await tx.pop.findUnique({ where: { code }, include: { upstreams: true } });
    if (!before) throw new AppError("not_found", `There is no PoP ${code}.`);
    const data = popData(input);
    const pop = await tx.pop.update({ where: { id: before.id }, data });
    await replaceUpstreams(tx, pop.id, input);
    const changed = Object.fromEntries(
      Object.entries(data)
        .filter(([key, value]) => key !== "agentSecret" && JSON.stringify(before[key as keyof typeof before]) !== JSON.stringify(value))
        .map(([key, value]) => [key, { from: before[key as keyof typeof before] as never, to: value as never }]),
    );
    await recordAudit(tx, actor, {
      action: "pop.update",
      target: { type: "pop", id: pop.code },
      popId: pop.id,
      detail: { changed, agentSecretRotated: Boolean(input.agentSecret), upstreams: { before: before.upstreams.length, after: input.upstreams.length } },
      ip,
    });
    return pop;
  });
}
