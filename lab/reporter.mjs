// Posts the lab clients' results to the console's ingest API, as RIPE Atlas data: first the
// probes' metadata (probe-archive format), then their DNS results (one per probe per second,
// the last of each second, with the raw DNS answer as `abuf`). Reads the clients' JSON-lines
// files from the run folder; waits for `ingest.json` ({url, token}) to appear; keeps what it
// could not post and tries again. Writes its progress to reporter.json.
//   node lab/reporter.mjs --run-dir .data/lab-net/0
import { existsSync, openSync, readFileSync, readSync, closeSync, fstatSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { "run-dir": { type: "string" }, "every-ms": { type: "string", default: "1000" } } });
const runDir = values["run-dir"];
if (!runDir) {
  console.error("usage: node lab/reporter.mjs --run-dir DIR");
  process.exit(2);
}
const lab = JSON.parse(readFileSync(path.join(runDir, "lab.json"), "utf8"));
/** The lab's own measurement id, in the range RIPE Atlas will not hand out for a long time. */
export const LAB_MSM_ID = 90_000_001;
const MAX_BUFFER = 50_000;

const offsets = new Map();
const pending = new Map(lab.clients.map((client) => [client.index, []]));
const lastSecond = new Map();
const status = { probesPosted: false, resultsPosted: 0, stored: 0, duplicates: 0, batches: 0, buffered: 0, dropped: 0, lastError: null, lastOkAt: null };

function readNewLines(client) {
  if (!existsSync(client.resultsFile)) return [];
  const fd = openSync(client.resultsFile, "r");
  try {
    const size = fstatSync(fd).size;
    const from = offsets.get(client.index) ?? 0;
    if (size <= from) return [];
    const buffer = Buffer.alloc(size - from);
    readSync(fd, buffer, 0, buffer.length, from);
    const text = buffer.toString("utf8");
    const end = text.lastIndexOf("\n") + 1;
    offsets.set(client.index, from + Buffer.byteLength(text.slice(0, end)));
    return text.slice(0, end).split("\n").filter(Boolean).map((line) => JSON.parse(line));
  } finally {
    closeSync(fd);
  }
}

function atlasResult(client, record) {
  const base = { fw: 5080, lts: 1, msm_id: LAB_MSM_ID, prb_id: client.probeId, timestamp: Math.floor(record.t / 1000), from: client.address, src_addr: client.address, dst_addr: lab.anycastAddress, af: 4, proto: "UDP", type: "dns", group_id: LAB_MSM_ID, msm_name: "Tdig" };
  if (record.abuf && record.rt !== null) return { ...base, result: { rt: record.rt, size: Buffer.from(record.abuf, "base64").length, abuf: record.abuf, ID: Buffer.from(record.abuf, "base64").readUInt16BE(0), ANCOUNT: record.answer ? 1 : 0, QDCOUNT: 1, NSCOUNT: 0, ARCOUNT: 0 } };
  return { ...base, error: record.error?.startsWith("timeout") ? { timeout: 1000 } : { socket: record.error ?? "no answer" } };
}

function probesArchive() {
  return lab.clients.map((client) => ({
    id: client.probeId,
    latitude: client.latitude,
    longitude: client.longitude,
    country_code: client.country,
    asn_v4: 64600 + client.transit,
    asn_v6: null,
    address_v4: client.address,
    address_v6: null,
    prefix_v4: `${client.address.split(".").slice(0, 3).join(".")}.0/24`,
    status: { id: 1, name: "Connected" },
    tags: [{ name: "Catchment lab", slug: "catchment-lab" }],
    description: `Catchment lab client ${client.index} (${client.city})`,
    is_anchor: false,
    is_public: false,
  }));
}

async function post(ingest, format, body) {
  const response = await fetch(`${ingest.url}/api/v1/measurements?format=${format}&source=lab`, {
    method: "POST",
    headers: { authorization: `Bearer ${ingest.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`ingest answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function writeStatus() {
  status.buffered = [...pending.values()].reduce((sum, list) => sum + list.length, 0);
  const file = path.join(runDir, "reporter.json");
  writeFileSync(`${file}.tmp`, JSON.stringify(status));
  renameSync(`${file}.tmp`, file);
}

async function tick() {
  const nowSecond = Math.floor(Date.now() / 1000);
  for (const client of lab.clients) {
    const list = pending.get(client.index);
    for (const record of readNewLines(client)) list.push(record);
  }
  const ingestFile = path.join(runDir, "ingest.json");
  const ingest = existsSync(ingestFile) ? JSON.parse(readFileSync(ingestFile, "utf8")) : null;
  // One result per probe per second (RIPE Atlas results are keyed by probe and second): the
  // last of each second that has ended.
  const batch = [];
  for (const client of lab.clients) {
    const list = pending.get(client.index);
    const ready = list.filter((record) => Math.floor(record.t / 1000) < nowSecond);
    const bySecond = new Map();
    for (const record of ready) bySecond.set(Math.floor(record.t / 1000), record);
    for (const [second, record] of bySecond) if (second > (lastSecond.get(client.index) ?? 0)) batch.push({ client, second, record });
    if (!ingest) {
      // Nowhere to post yet: keep a bounded backlog.
      const overflow = list.length - MAX_BUFFER;
      if (overflow > 0) {
        list.splice(0, overflow);
        status.dropped += overflow;
      }
    }
  }
  if (!ingest || batch.length === 0) return writeStatus();
  try {
    if (!status.probesPosted) {
      await post(ingest, "atlas-probes", probesArchive());
      status.probesPosted = true;
    }
    const summary = await post(ingest, "atlas", batch.map(({ client, record }) => atlasResult(client, record)));
    status.batches += 1;
    status.resultsPosted += batch.length;
    status.stored += summary.stored ?? 0;
    status.duplicates += summary.duplicates ?? 0;
    status.lastOkAt = new Date().toISOString();
    status.lastError = null;
    for (const { client, second } of batch) lastSecond.set(client.index, Math.max(lastSecond.get(client.index) ?? 0, second));
    for (const client of lab.clients) {
      const list = pending.get(client.index);
      pending.set(client.index, list.filter((record) => Math.floor(record.t / 1000) >= nowSecond));
    }
  } catch (error) {
    status.lastError = `${new Date().toISOString()} ${error.message}`;
  }
  writeStatus();
}

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => { stopping = true; process.exit(0); });
const every = Number(values["every-ms"]);
while (!stopping) {
  const started = Date.now();
  await tick().catch((error) => { status.lastError = error.message; });
  await new Promise((resolve) => setTimeout(resolve, Math.max(50, every - (Date.now() - started))));
}
