import { describe, expect, it } from "vitest";
import { SimSpeaker } from "./sim";

describe("SimSpeaker", () => {
  const upstreams = [{ name: "transit_a", peerAsn: 64601, peerAddress: "192.0.2.1" }];

  it("reports per session the AS path each exported prefix carries: the PoP's ASN, once more per prepend", async () => {
    const speaker = new SimSpeaker({ upstreams, asn: 64500 });
    await speaker.start();
    await speaker.apply("198.51.100.0/24", { state: "drained", prepend: 2, communities: ["64500:666"] });
    await speaker.apply("192.0.2.0/24", { state: "announced", prepend: 0, communities: [] });
    await speaker.apply("203.0.113.0/24", { state: "withdrawn", prepend: 0, communities: [] });
    const [session] = (await speaker.status()).sessions;
    expect(session?.exports).toEqual([
      { prefix: "192.0.2.0/24", asPath: [64500], communities: [] },
      { prefix: "198.51.100.0/24", asPath: [64500, 64500, 64500], communities: ["64500:666"] },
    ]);
  });

  it("reports no exports while down, or without an ASN to show", async () => {
    const speaker = new SimSpeaker({ upstreams, asn: 64500 });
    await speaker.start();
    speaker.setFault("control socket gone");
    expect((await speaker.status()).sessions[0]?.exports).toBeNull();
    const anonymous = new SimSpeaker({ upstreams });
    await anonymous.start();
    expect((await anonymous.status()).sessions[0]?.exports).toBeNull();
  });
});
