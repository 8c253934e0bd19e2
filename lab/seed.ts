// The console's data for the lab: its PoPs (agents at their management addresses), the anycast
// prefix and its ROA, the BGP upstreams, the PoP identities the probes' answers match, the demo
// sign-ins, and an ingest token for the lab's reporter. Idempotent: re-running it after a lab
// restart updates the agent URLs and secret and issues a fresh reporter token.
import type { Db } from "../lib/server/db/create-client";
import { DEMO_USERS } from "../lib/demo/users";
import { createApiToken } from "../lib/server/auth/api-token";
import { hashPassword } from "../lib/server/auth/password";
import type { LabInfo } from "./lab";

const REPORTER_TOKEN = "lab reporter";

export async function seedLab(db: Db, lab: LabInfo): Promise<{ ingestToken: string; created: boolean }> {
  const created = (await db.pop.count()) === 0;
  for (const user of DEMO_USERS) {
    if (await db.user.findUnique({ where: { username: user.username } })) continue;
    await db.user.create({ data: { username: user.username, name: user.name.replace("Demo", "Lab"), role: user.role, passwordHash: await hashPassword(user.password) } });
  }
  const prefix = await db.prefix.upsert({
    where: { cidr: lab.prefix },
    create: { cidr: lab.prefix, family: 4, length: Number(lab.prefix.split("/")[1]), originAsn: lab.asn, service: "dns", description: "The lab's anycast DNS (CHAOS hostname.bind)", safetyFloor: 2 },
    update: {},
  });
  const roa = { prefix: lab.prefix, family: 4, length: prefix.length, maxLength: prefix.length, asn: BigInt(lab.asn), source: "lab" };
  if (!(await db.roa.findFirst({ where: roa }))) await db.roa.create({ data: roa });
  for (const pop of lab.pops) {
    const fields = {
      name: pop.name,
      city: pop.city,
      country: pop.country,
      latitude: pop.latitude,
      longitude: pop.longitude,
      region: pop.region,
      identities: [pop.identity],
      agentUrl: pop.agentUrl,
      agentSecret: lab.secret,
      tags: ["lab"],
      simulated: false,
    };
    const row = await db.pop.upsert({ where: { code: pop.code }, create: { code: pop.code, capacityGbps: 10, ...fields }, update: fields });
    await db.upstream.upsert({
      where: { popId_peerAddress: { popId: row.id, peerAddress: pop.upstream.peerAddress } },
      create: { popId: row.id, name: pop.upstream.name, kind: "transit", peerAsn: pop.upstream.peerAsn, peerAddress: pop.upstream.peerAddress },
      update: { name: pop.upstream.name, peerAsn: pop.upstream.peerAsn },
    });
    await db.announcement.upsert({ where: { popId_prefixId: { popId: row.id, prefixId: prefix.id } }, create: { popId: row.id, prefixId: prefix.id }, update: {} });
  }
  const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" } });
  await db.apiToken.updateMany({ where: { name: REPORTER_TOKEN, revokedAt: null }, data: { revokedAt: new Date() } });
  const { token } = await createApiToken(db, { userId: admin.id, name: REPORTER_TOKEN, scopes: ["ingest"] });
  await db.auditEvent.create({
    data: { actorName: "system", action: created ? "lab.seed" : "lab.reseed", targetType: "fleet", detail: { pops: lab.pops.map((pop) => pop.code), prefix: lab.prefix, instance: lab.instance } },
  });
  return { ingestToken: token, created };
}
