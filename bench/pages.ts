// `npm run bench:pages`: server response times of the overview and PoP list pages (and the
// traffic API the overview's chart fetches), for the
// demo fleet and for a scaled fleet (300 PoPs, 15,000 probes). Prints p50/p95 per page.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { percentile, signIn, startConsole, timeRequest } from "../test/support/console-process";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
// The pages, and the API behind the overview's live traffic chart, which the browser loads after the page.
const PAGES = ["/", "/pops", "/pops?sort=utilisation&dir=desc", "/api/v1/traffic"];
const FLEETS: { name: string; env: Record<string, string> }[] = [
  { name: "demo fleet (20 PoPs, 3,000 probes)", env: {} },
  { name: "scaled fleet (300 PoPs, 15,000 probes)", env: { CATCHMENT_DEMO_POPS: "300", CATCHMENT_DEMO_PROBES: "15000" } },
];


for (const [index, fleet] of FLEETS.entries()) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "catchment-bench-"));
  const server = await startConsole({ port: 3200 + index, pgPort: 25450 + index, agentBasePort: 22000 + index * 1000, dataDir, env: fleet.env });
  try {
    const cookie = await signIn(server.baseUrl, "viewer", "catchment-viewer");
    console.log(`\n${fleet.name}: ${REQUESTS} sequential requests per page after 5 warm-up requests`);
    for (const page of PAGES) {
      for (let i = 0; i < 5; i++) await timeRequest(server.baseUrl + page, cookie);
      const samples: number[] = [];
      for (let i = 0; i < REQUESTS; i++) samples.push(await timeRequest(server.baseUrl + page, cookie));
      console.log(`  ${page.padEnd(34)} p50 ${percentile(samples, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(samples, 95).toFixed(0).padStart(5)} ms`);
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
