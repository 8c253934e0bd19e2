import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BirdSpeaker, renderIncludeFile } from "./bird";

// The driver against a stand-in birdc that answers with recorded or BIRD-3-shaped output, so
// the BIRD 3 path is exercised without a BIRD 3 daemon (Debian here only packages BIRD 2).
const SHARED = path.resolve(import.meta.dirname, "../../../shared/fixtures/bird");

// `show protocols all` and `show route export ... all` in BIRD 3.1.4's layout, written after
// ../shared/fixtures/bird/meridio-bird-3.1.4-* and birdwatcher-test-routes_bird3_* (Created:,
// Import/Export state, seven-column stats; preference:/source:/bgp_path:/bgp_community: and
// the "Internal route handling values" line), with this PoP's names.
const BIRD3_PROTOCOLS = `BIRD 3.1.4 ready.
Name       Proto      Table      State  Since         Info
device1    Device     ---        up     12:17:19.296
  Created:            12:17:19.296

catchment_192_0_2_0_24 Static     master4    up     12:17:19.296
  Created:            12:17:19.296
  Channel ipv4
    State:          UP
    Import state:   UP
    Export state:   DOWN
    Table:          master4
    Preference:     200
    Input filter:   ACCEPT
    Output filter:  REJECT
    Routes:         1 imported, 0 exported, 1 preferred

transit_a  BGP        ---        up     12:17:33.417  Established
  Created:            12:17:29.169
  BGP state:          Established
    Neighbor address: 192.0.2.254
    Neighbor port:    179
    Neighbor AS:      64601
    Local AS:         64500
    Session:          external AS4
  Channel ipv4
    State:          UP
    Import state:   UP
    Export state:   READY
    Table:          master4
    Preference:     100
    Input filter:   REJECT
    Output filter:  catchment_out
    Routes:         0 imported, 1 exported, 0 preferred
    Pending 0 attribute sets with total 0 prefixes to send
`;

const BIRD3_EXPORT = `BIRD 3.1.4 ready.
Table master4:
192.0.2.0/24         blackhole [catchment_192_0_2_0_24 12:17:19.296] * (200)
\tpreference: 200
\tsource: static
\tbgp_path: 64500 64500
\tbgp_community: (64500,666)
\tbgp_large_community: (64500, 1, 2)
\tInternal route handling values: 0L 4G 0S id 1
`;

describe("BirdSpeaker with BIRD 3's answers", () => {
  let dir: string;
  const answer = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  const speaker = () => new BirdSpeaker({ socket: path.join(dir, "bird.ctl"), includeFile: path.join(dir, "catchment.conf"), birdc: path.join(dir, "birdc") });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "ctm-birdc-"));
    // birdc -s SOCKET <command...>: answer from the file named after the command.
    writeFileSync(
      path.join(dir, "birdc"),
      [
        "#!/bin/sh",
        `cd "${dir}"`,
        "shift 2",
        'case "$*" in',
        '  "show status") cat status.txt ;;',
        '  "show protocols all") cat protocols.txt ;;',
        '  "show route export transit_a all") cat export.txt ;;',
        '  *) echo "unexpected birdc $*" >&2; exit 1 ;;',
        "esac",
        "",
      ].join("\n"),
    );
    chmodSync(path.join(dir, "birdc"), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("starts on BIRD 3.0.1 and reads the drain BIRD 3 exports (bgp_path, bgp_community)", async () => {
    answer("status.txt", readFileSync(path.join(SHARED, "birdwatcher-test-status4.sample"), "utf8"));
    answer("protocols.txt", BIRD3_PROTOCOLS);
    answer("export.txt", BIRD3_EXPORT);
    const intent = { state: "drained" as const, prepend: 2, communities: ["64500:1:2", "64500:666"] };
    writeFileSync(path.join(dir, "catchment.conf"), renderIncludeFile(new Map([["192.0.2.0/24", intent]]), 64500));

    const bird = speaker();
    await bird.start();
    const status = await bird.status();
    expect(status.up).toBe(true);
    // What transit_a receives: the PoP's ASN put in front by BGP, then the two prepends.
    const exports = [{ prefix: "192.0.2.0/24", asPath: [64500, 64500, 64500], communities: ["64500:1:2", "64500:666"] }];
    expect(status.sessions).toEqual([{ name: "transit_a", peerAsn: 64601, peerAddress: "192.0.2.254", state: "established", since: expect.any(String), prefixesSent: 1, prefixesReceived: 0, exports }]);
    expect(status.routes).toEqual([{ prefix: "192.0.2.0/24", state: "drained", prepend: 2, communities: ["64500:1:2", "64500:666"] }]);
  });

  it("starts while BIRD reconfigures", async () => {
    answer("status.txt", "BIRD 3.1.4 ready.\nBIRD 3.1.4\nRouter ID is 10.0.1.1\nReconfiguration in progress\n");
    answer("protocols.txt", BIRD3_PROTOCOLS);
    await expect(speaker().start()).resolves.toBeUndefined();
  });

  it("refuses BIRD 1, whose configuration language the included file does not speak", async () => {
    answer("status.txt", readFileSync(path.join(SHARED, "birdwatcher-test-status1.sample"), "utf8"));
    await expect(speaker().start()).rejects.toMatchObject({ code: "unavailable", message: "BIRD 1.6.6 is not supported: the agent drives BIRD 2 (2.0.12 or later) or BIRD 3" });
  });
});
