// What Linux says about a process the tests or benches started: which one listens on a port,
// and how much memory it holds. Read from /proc, so several consoles may run side by side.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The process listening on `port` on this machine, found by its socket; null when none is. */
export function pidListening(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const row of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] === "0A" && parseInt(fields[1]!.split(":").pop()!, 16) === port) inodes.add(fields[9]!);
    }
  }
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link.startsWith("socket:[") && inodes.has(link.slice(8, -1))) return Number(pid);
      }
    } catch {
      // A process that ended meanwhile, or one we may not look into.
    }
  }
  return null;
}

/** Resident memory now and at its peak, in MiB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}
