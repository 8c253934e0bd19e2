import { describe, expect, it } from "vitest";
import { chaosTxtAbuf, chaosTxtResponse } from "./fixtures/abuf";
import { txtAnswersFromAbuf } from "./dns-answer";

describe("txtAnswersFromAbuf", () => {
  it("follows the compression pointer from the answer to the question name", () => {
    const wire = chaosTxtResponse("hostname.bind", ["ams1-a.ns.example"]);
    const pointerAt = 12 + "hostname.bind".length + 2 + 4;
    expect([wire[pointerAt], wire[pointerAt + 1]]).toEqual([0xc0, 0x0c]);
    expect(txtAnswersFromAbuf(wire.toString("base64"))).toEqual({ ok: true, texts: ["ams1-a.ns.example"], rcode: "NOERROR" });
  });

  it("decodes a hand-written message byte by byte", () => {
    const wire = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]),
      Buffer.from("\x02id\x06server\x00", "latin1"),
      Buffer.from([0x00, 0x10, 0x00, 0x03]),
      Buffer.from([0xc0, 0x0c, 0x00, 0x10, 0x00, 0x03, 0, 0, 0, 0, 0x00, 0x08, 0x07]),
      Buffer.from("fra1-b0", "latin1"),
    ]);
    expect(txtAnswersFromAbuf(wire.toString("base64"))).toMatchObject({ ok: true, texts: ["fra1-b0"] });
  });

  it("joins the character-strings of one TXT record", () => {
    expect(txtAnswersFromAbuf(chaosTxtAbuf("id.server", ["ams1-", "a.ns.example"]))).toMatchObject({ texts: ["ams1-a.ns.example"] });
  });

  it("a response without answers gives no texts and its rcode", () => {
    const refused = chaosTxtResponse("hostname.bind", [], { rcode: "REFUSED" }).toString("base64");
    expect(txtAnswersFromAbuf(refused)).toEqual({ ok: true, texts: [], rcode: "REFUSED" });
  });

  it.each([1, 6, 17, 20, 30])("reports a message cut %i bytes short instead of throwing or shortening the text", (cut) => {
    const wire = chaosTxtResponse("hostname.bind", ["ams1-a.ns.example"]);
    const result = txtAnswersFromAbuf(wire.subarray(0, wire.length - cut).toString("base64"));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^abuf is not a whole DNS message/);
  });

  it("reports a pointer that points forward (a loop in a crafted message)", () => {
    const wire = chaosTxtResponse("hostname.bind", ["x"]);
    const pointerAt = 12 + "hostname.bind".length + 2 + 4;
    wire[pointerAt + 1] = 0xff;
    expect(txtAnswersFromAbuf(wire.toString("base64")).ok).toBe(false);
  });

  it("reports garbage: not base64, or too short for a header", () => {
    expect(txtAnswersFromAbuf("not base64!")).toEqual({ ok: false, reason: "abuf is not base64" });
    expect(txtAnswersFromAbuf("")).toEqual({ ok: false, reason: "abuf is not base64" });
    expect(txtAnswersFromAbuf("AAEC")).toEqual({ ok: false, reason: "abuf is 3 bytes, shorter than a DNS header" });
  });
});
