import { describe, expect, it } from "vitest";
import { chaosTxtAbuf, chaosTxtResponse, cnameResponse, nsidResponse } from "./fixtures/abuf";
import { decodeAbuf } from "./dns-answer";

const base64 = (wire: Buffer) => wire.toString("base64");
const NONE = { texts: [], cnameTargets: [], nsid: undefined };

describe("decodeAbuf", () => {
  it("follows the compression pointer from the answer to the question name", () => {
    const wire = chaosTxtResponse("hostname.bind", ["ams1-a.ns.example"]);
    const pointerAt = 12 + "hostname.bind".length + 2 + 4;
    expect([wire[pointerAt], wire[pointerAt + 1]]).toEqual([0xc0, 0x0c]);
    expect(decodeAbuf(base64(wire))).toEqual({ ok: true, ...NONE, texts: ["ams1-a.ns.example"], rcode: "NOERROR" });
  });

  it("decodes a hand-written message byte by byte", () => {
    const wire = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]),
      Buffer.from("\x02id\x06server\x00", "latin1"),
      Buffer.from([0x00, 0x10, 0x00, 0x03]),
      Buffer.from([0xc0, 0x0c, 0x00, 0x10, 0x00, 0x03, 0, 0, 0, 0, 0x00, 0x08, 0x07]),
      Buffer.from("fra1-b0", "latin1"),
    ]);
    expect(decodeAbuf(base64(wire))).toMatchObject({ ok: true, texts: ["fra1-b0"] });
  });

  it("joins the character-strings of one TXT record", () => {
    expect(decodeAbuf(chaosTxtAbuf("id.server", ["ams1-", "a.ns.example"]))).toMatchObject({ texts: ["ams1-a.ns.example"] });
  });

  it("a response without answers gives nothing and its rcode", () => {
    const refused = base64(chaosTxtResponse("hostname.bind", [], { rcode: "REFUSED" }));
    expect(decodeAbuf(refused)).toEqual({ ok: true, ...NONE, rcode: "REFUSED" });
  });

  it("reads a printable NSID from the OPT record, past the options before it", () => {
    expect(decodeAbuf(base64(nsidResponse("ams01.l.root-servers.org")))).toEqual({
      ok: true,
      ...NONE,
      nsid: "ams01.l.root-servers.org",
      rcode: "NOERROR",
    });
  });

  it("gives an NSID with bytes outside printable ASCII as lowercase hex", () => {
    expect(decodeAbuf(base64(nsidResponse(Buffer.from([0x00, 0xab, 0x41, 0x0a]))))).toMatchObject({ nsid: "00ab410a" });
    expect(decodeAbuf(base64(nsidResponse("k3.ams\u00e9")))).toMatchObject({ nsid: "6b332e616d73e9" });
  });

  it("an empty NSID option is no NSID", () => {
    expect(decodeAbuf(base64(nsidResponse(Buffer.alloc(0))))).toMatchObject({ ok: true, nsid: undefined });
  });

  it("reads a CNAME target, and TXT answers beside an NSID", () => {
    const cname = cnameResponse("id.server.on.quad9.net", "res110.mia.on.quad9.net");
    expect(decodeAbuf(base64(cname))).toEqual({ ok: true, ...NONE, cnameTargets: ["res110.mia.on.quad9.net"], rcode: "NOERROR" });
    const both = nsidResponse("ams01", [{ type: "TXT", class: "IN", name: "fr", ttl: 0, data: "txt-id" }]);
    expect(decodeAbuf(base64(both))).toMatchObject({ texts: ["txt-id"], nsid: "ams01" });
  });

  it("shows the odd bytes of a name as dig does", () => {
    // The target "a" (RDLENGTH 3: 1 "a" 0) becomes one label of the bytes "a", ".", " ", 0xff.
    const wire = cnameResponse("id.server", "a");
    const odd = Buffer.concat([wire.subarray(0, wire.length - 5), Buffer.from([0, 6, 4, 0x61, 0x2e, 0x20, 0xff, 0])]);
    expect(decodeAbuf(base64(odd))).toMatchObject({ ok: true, cnameTargets: ["a\\.\\032\\255"] });
  });

  const messages: [string, Buffer][] = [
    ["CHAOS TXT", chaosTxtResponse("hostname.bind", ["ams1-a.ns.example"])],
    ["NSID", nsidResponse("ams01.l.root-servers.org")],
    ["CNAME", cnameResponse("id.server.on.quad9.net", "res110.mia.on.quad9.net")],
  ];

  it.each(messages)("reports a %s message cut short anywhere, instead of throwing or reading less", (_, wire) => {
    for (let length = 12; length < wire.length; length++) {
      const result = decodeAbuf(base64(wire.subarray(0, length)));
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^abuf is not a whole DNS message \(it ends inside the \w+ section, at byte \d+\)$/) });
    }
  });

  it("reports a compression pointer to itself or forward (a loop in a crafted message)", () => {
    const wire = chaosTxtResponse("hostname.bind", ["x"]);
    const pointerAt = 12 + "hostname.bind".length + 2 + 4;
    for (const target of [pointerAt, 0xff]) {
      const looped = Buffer.from(wire);
      looped.writeUInt16BE(0xc000 | target, pointerAt);
      expect(decodeAbuf(base64(looped))).toEqual({ ok: false, reason: "abuf is not a valid DNS message (a compression pointer does not point back)" });
    }
  });

  it("reports pointers that chain back and forth between two names", () => {
    // Question name at 12: "a" then a pointer to 17; at 17: "b" then a pointer back to 12.
    const wire = Buffer.concat([Buffer.from([0, 1, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([1, 0x61, 0xc0, 17, 0, 1, 0x62, 0xc0, 12])]);
    expect(decodeAbuf(base64(wire))).toMatchObject({ ok: false, reason: expect.stringMatching(/compression pointer/) });
  });

  it("reports lengths that overrun their record, though not the message", () => {
    const txt = chaosTxtResponse("id.server", ["abc"]);
    txt.writeUInt16BE(2, txt.length - 6); // RDLENGTH 2 for a 4-byte TXT string
    const nextRecord = Buffer.concat([txt, Buffer.alloc(11)]);
    nextRecord.writeUInt16BE(2, 10); // ARCOUNT 2, so the bytes after are read as a record
    expect(decodeAbuf(base64(nextRecord))).toMatchObject({ ok: false, reason: "abuf is not a valid DNS message (a TXT string runs past its record)" });

    const nsid = nsidResponse("ams01");
    nsid.writeUInt16BE(200, nsid.length - 7); // the NSID option claims 200 bytes
    expect(decodeAbuf(base64(Buffer.concat([nsid, Buffer.alloc(300)])))).toMatchObject({
      ok: false,
      reason: "abuf is not a valid DNS message (an EDNS option runs past the OPT record)",
    });

    const cname = cnameResponse("id.server", "res1.example");
    cname.writeUInt16BE(3, cname.length - 16); // RDLENGTH 3 for a 14-byte name
    expect(decodeAbuf(base64(Buffer.concat([cname, Buffer.alloc(20)])))).toMatchObject({
      ok: false,
      reason: "abuf is not a valid DNS message (a CNAME target does not fill its record)",
    });
  });

  it("reports a name longer than 255 bytes and a label type that does not exist", () => {
    const long = Array.from({ length: 5 }, () => "x".repeat(60)).join(".");
    const header = Buffer.from([0, 1, 0x84, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const name = Buffer.concat([...long.split(".").map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)])), Buffer.from([0, 0, 16, 0, 1])]);
    expect(decodeAbuf(base64(Buffer.concat([header, name])))).toMatchObject({ reason: "abuf is not a valid DNS message (a name is longer than 255 bytes)" });
    expect(decodeAbuf(base64(Buffer.concat([header, Buffer.from([0x41, 0, 0, 16, 0, 1])])))).toMatchObject({
      reason: "abuf is not a valid DNS message (a name has a label type RFC 1035 does not define)",
    });
  });

  it("reports garbage: not base64, or too short for a header", () => {
    expect(decodeAbuf("not base64!")).toEqual({ ok: false, reason: "abuf is not base64" });
    expect(decodeAbuf("")).toEqual({ ok: false, reason: "abuf is not base64" });
    expect(decodeAbuf("AAEC")).toEqual({ ok: false, reason: "abuf is 3 bytes, shorter than a DNS header" });
  });
});
