// The lab's anycast service: a DNS server on the anycast address that answers CHAOS TXT
// `hostname.bind` (and `id.server`) with its PoP's identity, in real DNS wire format, as the
// root servers and anycast DNS operators do. Plain Node (no build step): it runs in a PoP's
// network namespace.
//   node lab/responder.mjs --address 198.51.100.53 --identity ams1.lab.catchment [--port 53]
import dgram from "node:dgram";
import { parseArgs } from "node:util";
import dnsPacket from "dns-packet";

const { values } = parseArgs({ options: { address: { type: "string" }, identity: { type: "string" }, port: { type: "string", default: "53" }, "run-dir": { type: "string" } } });
if (!values.address || !values.identity) {
  console.error("usage: node lab/responder.mjs --address ADDR --identity TEXT [--port 53]");
  process.exit(2);
}
const NAMES = new Set(["hostname.bind", "id.server"]);
const socket = dgram.createSocket("udp4");

socket.on("message", (message, remote) => {
  let query;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return; // not DNS: ignore, as a server does
  }
  const question = query.questions?.[0];
  const known = question && question.type === "TXT" && (question.class === "CH" || question.class === "ANY") && NAMES.has(question.name.toLowerCase());
  const answer = dnsPacket.encode({
    id: query.id,
    type: "response",
    flags: dnsPacket.AUTHORITATIVE_ANSWER | (query.flags & dnsPacket.RECURSION_DESIRED),
    rcode: known ? "NOERROR" : "REFUSED",
    questions: query.questions,
    answers: known ? [{ type: "TXT", class: "CH", name: question.name, ttl: 0, data: values.identity }] : [],
  });
  socket.send(answer, remote.port, remote.address);
});
socket.on("error", (error) => {
  console.error(`responder: ${error.message}`);
  process.exit(1);
});
socket.bind(Number(values.port), values.address, () => console.log(`responder ${values.identity} on ${values.address}:${values.port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => socket.close(() => process.exit(0)));
