// Decodes the base64 DNS message RIPE Atlas keeps in `abuf`, for results without `answers`.
// dns-packet follows name-compression pointers (RFC 1035 4.1.4) and refuses forward pointers,
// so a crafted abuf cannot loop.
import { decode, type Answer } from "dns-packet";

export type AbufAnswer =
  | { ok: true; texts: string[]; rcode: string | undefined }
  | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEADER_BYTES = 12;

/**
 * The TXT answers in a base64 DNS response, each as its character-strings joined (a TXT record
 * is one or more strings of up to 255 bytes; an identity longer than that spans several).
 * A message that is not base64, is cut short or does not decode is reported, not thrown.
 */
export function txtAnswersFromAbuf(abuf: string): AbufAnswer {
  const compact = abuf.replace(/\s+/g, "");
  if (!compact || !BASE64.test(compact)) return { ok: false, reason: "abuf is not base64" };
  const bytes = Buffer.from(compact, "base64");
  if (bytes.length < HEADER_BYTES) {
    return { ok: false, reason: `abuf is ${bytes.length} bytes, shorter than a DNS header` };
  }
  let packet: ReturnType<typeof decode>;
  try {
    packet = decode(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "undecodable";
    return { ok: false, reason: `abuf is not a whole DNS message (${detail})` };
  }
  // dns-packet reads a cut-off TXT record as a shorter string instead of failing; the bytes
  // it consumed beyond the end of the buffer give the truncation away.
  if (decode.bytes > bytes.length) {
    return { ok: false, reason: `abuf is not a whole DNS message (${bytes.length} of ${decode.bytes} bytes)` };
  }
  const texts = (packet.answers ?? []).flatMap((answer) => (answer.type === "TXT" ? [txtText(answer)] : []));
  // dns-packet decodes the response code ("NOERROR", "REFUSED") but its types omit it.
  return { ok: true, texts, rcode: (packet as { rcode?: string }).rcode };
}

function txtText(answer: Extract<Answer, { type: "TXT" }>): string {
  const parts = Array.isArray(answer.data) ? answer.data : [answer.data];
  return parts.map((part) => (typeof part === "string" ? part : part.toString("utf8"))).join("");
}
