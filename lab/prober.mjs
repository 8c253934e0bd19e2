// A lab client's probe: asks the anycast address CHAOS TXT hostname.bind every --interval ms,
// as a RIPE Atlas probe does, and appends one JSON line per query to --out:
//   {"t": <ms epoch when sent>, "rt": <ms>|null, "abuf": <base64 DNS answer>|null, "answer": <TXT>|null, "error": <text>|null}
// Plain Node: it runs in a client's network namespace; lab/reporter.mjs posts the lines.
import dgram from "node:dgram";
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import dnsPacket from "dns-packet";

const { values } = parseArgs({ options: { target: { type: "string" }, out: { type: "string" }, interval: { type: "string", default: "500" }, port: { type: "string", default: "53" } } });
if (!values.target || !values.out) {
  console.error("usage: node lab/prober.mjs --target ADDR --out FILE [--interval 500]");
  process.exit(2);
}
const interval = Number(values.interval);
const timeoutMs = Math.max(50, Math.min(1000, interval - 20));
let nextId = Math.floor(Math.random() * 65536);

function queryOnce() {
  return new Promise((resolve) => {
    const id = (nextId = (nextId + 1) % 65536);
    const socket = dgram.createSocket("udp4");
    const sent = Date.now();
    const started = performance.now();
    let done = false;
    const finish = (record) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve({ t: sent, ...record });
    };
    const timer = setTimeout(() => finish({ rt: null, abuf: null, answer: null, error: `timeout after ${timeoutMs} ms` }), timeoutMs);
    socket.on("message", (message) => {
      let packet;
      try {
        packet = dnsPacket.decode(message);
      } catch (error) {
        return finish({ rt: null, abuf: message.toString("base64"), answer: null, error: `undecodable answer: ${error.message}` });
      }
      if (packet.id !== id) return;
      const txt = packet.answers?.find((answer) => answer.type === "TXT");
      const answer = txt ? [].concat(txt.data).map((part) => part.toString()).join("") : null;
      finish({ rt: Math.round((performance.now() - started) * 1000) / 1000, abuf: message.toString("base64"), answer, error: answer ? null : `rcode ${packet.rcode}` });
    });
    socket.on("error", (error) => finish({ rt: null, abuf: null, answer: null, error: error.message }));
    const query = dnsPacket.encode({ id, type: "query", flags: 0, questions: [{ type: "TXT", class: "CH", name: "hostname.bind" }] });
    socket.send(query, Number(values.port), values.target, (error) => error && finish({ rt: null, abuf: null, answer: null, error: error.message }));
  });
}

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => { stopping = true; process.exit(0); });
for (let next = Date.now(); !stopping; ) {
  const record = await queryOnce();
  appendFileSync(values.out, `${JSON.stringify(record)}\n`);
  next += interval;
  const wait = next - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  else next = Date.now();
}
