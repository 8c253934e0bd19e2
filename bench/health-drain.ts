// "Health failure to drain sent": from the moment a PoP's local DNS service stops answering to
// the moment the agent's speaker has applied the drain. A real agent (in this process), a real
// DNS responder on 127.0.0.1 answering CHAOS TXT hostname.bind over UDP, a check every 1 s
// (timeout 500 ms, fall 2: the agent's defaults but for the interval). The service is broken
// by going silent, the slower failure to see (a refused port fails at once). Measured twice:
// without a fast interval, and with checks every 250 ms while falling (`fastIntervalMs`).
// `npx tsx bench/health-drain.ts` alone, or `measureHealthFailureToDrain()` from bench:failover.
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { decode, encode, type Packet } from "dns-packet";
import pino from "pino";
import { resolveAgentConfig } from "../agent/config";
import { startAgent } from "../agent/start-agent";
import { SimSpeaker } from "../agent/speakers/sim";
import type { RouteIntent } from "../agent/speakers/speaker";
import { percentile } from "../test/support/console-process";

/** `fastIntervalMs`: the check's re-run interval while falling (default: `intervalMs`, i.e. none). */
export type HealthDrainOptions = { runs?: number; intervalMs?: number; fastIntervalMs?: number; timeoutMs?: number; fall?: number };

/** A speaker that notes when each drain was applied. */
class TimedSpeaker extends SimSpeaker {
  drainedAt: number | null = null;
  override async apply(prefix: string, intent: RouteIntent): Promise<void> {
    await super.apply(prefix, intent);
    if (intent.state === "drained" && this.drainedAt === null) this.drainedAt = performance.now();
  }
}

async function startResponder() {
  const socket = createSocket("udp4");
  const state = { silent: false };
  socket.on("message", (message, remote) => {
    if (state.silent) return;
    const query = decode(message);
    const answer = { id: query.id, type: "response", flags: 0x8400, questions: query.questions, answers: [{ type: "TXT", class: "CH", name: "hostname.bind", ttl: 0, data: "bench1" }] };
    socket.send(encode(answer as Packet), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return { port: socket.address().port, state, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

export async function measureHealthFailureToDrain({ runs = 10, intervalMs = 1000, fastIntervalMs = intervalMs, timeoutMs = 500, fall = 2 }: HealthDrainOptions = {}): Promise<number[]> {
  const samples: number[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), "catchment-bench-health-"));
  try {
    for (let run = 0; run < runs; run++) {
      const responder = await startResponder();
      const resolved = resolveAgentConfig(
        {
          pop: "BEN1",
          listen: { host: "127.0.0.1", port: 0 },
          secret: "bench-secret-0123456789abcdef",
          stateFile: path.join(dir, `state-${run}.json`),
          prefixes: [{ prefix: "192.0.2.0/24" }],
          speaker: { driver: "sim" },
          healthChecks: [{ name: "dns", kind: "dns", target: `127.0.0.1:${responder.port}`, intervalMs, fastIntervalMs, timeoutMs, fall, rise: 2 }],
        },
        { baseDir: dir, env: {} },
      );
      if (!resolved.ok) throw new Error(resolved.problems.join("; "));
      const speaker = new TimedSpeaker({ upstreams: [] });
      const agent = await startAgent(resolved.config, { speaker, logger: pino({ level: "silent" }) });
      try {
        while (agent.control.checkState("dns") !== "up") await new Promise((resolve) => setTimeout(resolve, 20));
        // Break at a random point of the check cycle, as a real failure would.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * intervalMs));
        const brokeAt = performance.now();
        responder.state.silent = true;
        while (speaker.drainedAt === null) await new Promise((resolve) => setTimeout(resolve, 5));
        samples.push(speaker.drainedAt - brokeAt);
      } finally {
        await agent.stop();
        await responder.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

export function describeHealthDrain(samples: number[], intervalMs = 1000, fall = 2, fastIntervalMs = intervalMs): string {
  const fast = fastIntervalMs < intervalMs ? `, ${fastIntervalMs / 1000} s while falling` : "";
  return `health failure to drain sent (check every ${intervalMs / 1000} s${fast}, fall ${fall}, service goes silent), ${samples.length} runs: p50 ${(percentile(samples, 50) / 1000).toFixed(2)} s, p95 ${(percentile(samples, 95) / 1000).toFixed(2)} s (target < 3 s; anycast-healthchecker's defaults, 10 s x fall 2, react in 10-20 s)`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.env.BENCH_RUNS ?? 10);
  // Without a fast interval, then with one (ExaBGP healthcheck's idea, 4 times the rate while falling).
  console.log(describeHealthDrain(await measureHealthFailureToDrain({ runs })));
  console.log(describeHealthDrain(await measureHealthFailureToDrain({ runs, fastIntervalMs: 250 }), 1000, 2, 250));
}
