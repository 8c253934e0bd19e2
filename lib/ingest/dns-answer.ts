// Decodes the base64 DNS message RIPE Atlas keeps in `abuf` (RFC 1035 4.1) for what can name the
// server that answered: TXT answers, CNAME targets and the EDNS NSID option (RFC 5001).
// The message comes from the network, so every length in it is checked against the bytes there
// are and against the record it belongs to; a message that breaks a length is reported, not
// thrown, and reading always ends: each step moves forward, and name-compression pointers must
// point back (below).

export type AbufAnswer =
  | { ok: true; texts: string[]; cnameTargets: string[]; nsid: string | undefined; rcode: string }
  | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEADER_BYTES = 12;
const TXT = 16;
const CNAME = 5;
const OPT = 41;
const NSID_OPTION = 3;
const MAX_NAME_BYTES = 255;
// RFC 1035 4.1.1 and RFC 2136 2.2; only the header's four bits, as the EDNS extension is not read.
const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"];
const SECTIONS = ["answer", "authority", "additional"] as const;

/** A message that breaks its own lengths; `cut` when it ends before they say it should. */
class WireError extends Error {
  constructor(
    message: string,
    readonly cut = false,
  ) {
    super(message);
  }
}

/**
 * The TXT answers (each record's character-strings joined: an identity longer than 255 bytes
 * spans several), the CNAME targets in the answer section, and the NSID of the OPT record.
 * A message that is not base64, is cut short or breaks its lengths is reported, not thrown.
 */
export function decodeAbuf(abuf: string): AbufAnswer {
  const compact = abuf.replace(/\s+/g, "");
  if (!compact || !BASE64.test(compact)) return { ok: false, reason: "abuf is not base64" };
  const bytes = Buffer.from(compact, "base64");
  if (bytes.length < HEADER_BYTES) {
    return { ok: false, reason: `abuf is ${bytes.length} bytes, shorter than a DNS header` };
  }
  try {
    return { ok: true, ...readMessage(bytes) };
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    return { ok: false, reason: `abuf is not a ${error.cut ? "whole" : "valid"} DNS message (${error.message})` };
  }
}

function readMessage(bytes: Buffer) {
  const rcodeNumber = bytes[3]! & 0x0f;
  const [questions, ...counts] = [4, 6, 8, 10].map((at) => bytes.readUInt16BE(at)) as [number, number, number, number];
  const texts: string[] = [];
  const cnameTargets: string[] = [];
  let nsid: string | undefined;
  let at = HEADER_BYTES;
  for (let i = 0; i < questions; i++) {
    at = readName(bytes, at, "question").end + 4;
    need(bytes, at, "question");
  }
  SECTIONS.forEach((section, s) => {
    for (let i = 0; i < counts[s]!; i++) {
      const owner = readName(bytes, at, section);
      need(bytes, owner.end + 10, section);
      const type = bytes.readUInt16BE(owner.end);
      const start = owner.end + 10;
      const end = start + bytes.readUInt16BE(owner.end + 8);
      need(bytes, end, section);
      if (section === "answer" && type === TXT) texts.push(readTxt(bytes, start, end));
      if (section === "answer" && type === CNAME) {
        const target = readName(bytes, start, section);
        if (target.end !== end) throw new WireError("a CNAME target does not fill its record");
        cnameTargets.push(target.name);
      }
      if (section === "additional" && type === OPT) nsid ??= readNsid(bytes, start, end);
      at = end;
    }
  });
  return { texts, cnameTargets, nsid, rcode: RCODES[rcodeNumber] ?? `RCODE${rcodeNumber}` };
}

function need(bytes: Buffer, end: number, section: string): void {
  if (end > bytes.length) throw new WireError(`it ends inside the ${section} section, at byte ${bytes.length}`, true);
}

/**
 * A name at `start`, in presentation form without the trailing dot ("" for the root), and where
 * the bytes after it begin. A compression pointer (RFC 1035 4.1.4) must point before the labels
 * it ends, so each jump goes back and a crafted loop is refused instead of followed.
 */
function readName(bytes: Buffer, start: number, section: string): { name: string; end: number } {
  const labels: string[] = [];
  let at = start;
  let floor = start;
  let end: number | undefined;
  let length = 1;
  for (;;) {
    need(bytes, at + 1, section);
    const size = bytes[at]!;
    if (size === 0) return { name: labels.join("."), end: end ?? at + 1 };
    if ((size & 0xc0) === 0xc0) {
      need(bytes, at + 2, section);
      const target = bytes.readUInt16BE(at) & 0x3fff;
      if (target >= floor) throw new WireError("a compression pointer does not point back");
      end ??= at + 2;
      at = floor = target;
      continue;
    }
    if (size & 0xc0) throw new WireError("a name has a label type RFC 1035 does not define");
    need(bytes, at + 1 + size, section);
    length += size + 1;
    if (length > MAX_NAME_BYTES) throw new WireError(`a name is longer than ${MAX_NAME_BYTES} bytes`);
    labels.push(labelText(bytes.subarray(at + 1, at + 1 + size)));
    at += 1 + size;
  }
}

/** A label as dig shows it: printable ASCII as is, `.` and `\` escaped, other bytes as \DDD. */
function labelText(label: Buffer): string {
  let text = "";
  for (const byte of label) {
    if (byte === 0x2e || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte > 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\${String(byte).padStart(3, "0")}`;
  }
  return text;
}

function readTxt(bytes: Buffer, start: number, end: number): string {
  const parts: string[] = [];
  for (let at = start; at < end; ) {
    const stop = at + 1 + bytes[at]!;
    if (stop > end) throw new WireError("a TXT string runs past its record");
    parts.push(bytes.toString("utf8", at + 1, stop));
    at = stop;
  }
  return parts.join("");
}

/** The NSID option of an OPT record's RDATA, if it has one that is not empty. */
function readNsid(bytes: Buffer, start: number, end: number): string | undefined {
  let nsid: string | undefined;
  for (let at = start; at < end; ) {
    if (at + 4 > end) throw new WireError("an EDNS option runs past the OPT record");
    const code = bytes.readUInt16BE(at);
    const stop = at + 4 + bytes.readUInt16BE(at + 2);
    if (stop > end) throw new WireError("an EDNS option runs past the OPT record");
    if (code === NSID_OPTION && stop > at + 4) nsid ??= nsidText(bytes.subarray(at + 4, stop));
    at = stop;
  }
  return nsid;
}

/** The NSID is opaque bytes (RFC 5001 2.3): shown as ASCII when all printable, as Atlas's tools do, else as lowercase hex. */
function nsidText(payload: Buffer): string {
  return payload.every((byte) => byte >= 0x20 && byte < 0x7f) ? payload.toString("latin1") : payload.toString("hex");
}
