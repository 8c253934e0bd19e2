// Tests that start a console must know that what answers on its ports is theirs: a port
// another program holds fails the test at once, naming the port and the program, instead of
// the test reaching that program and failing far away from the cause.
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";

export type WantedPort = { port: number; use: string };

export class PortInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PortInUseError";
  }
}

function canListen(port: number, host?: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    // Every address, as the console's server listens: a program on any one of them conflicts.
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

export async function isPortFree(port: number): Promise<boolean> {
  let error = await canListen(port);
  // A machine without IPv6: every IPv4 address then.
  if (error?.code === "EAFNOSUPPORT" || error?.code === "EADDRNOTAVAIL") error = await canListen(port, "0.0.0.0");
  return error?.code !== "EADDRINUSE" && error?.code !== "EACCES";
}

/** The program listening on a port, as `ss` shows it (processes of other users stay unnamed). */
export function describeListener(port: number): string {
  try {
    const lines = execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8", timeout: 2000 }).trim();
    const owner = /users:\(\("([^"]+)",pid=(\d+)/.exec(lines);
    if (owner) return `${owner[1]} (pid ${owner[2]})`;
  } catch {
    // No ss on this machine: the port number alone still says what to look for.
  }
  return "a program this user cannot see";
}

/** Throws a PortInUseError naming every wanted port that another program already holds. */
export async function assertPortsFree(wanted: WantedPort[]): Promise<void> {
  const taken: string[] = [];
  for (const { port, use } of wanted) {
    if (!(await isPortFree(port))) taken.push(`port ${port} is already in use by another program: ${describeListener(port)} (wanted for ${use})`);
  }
  if (taken.length > 0) throw new PortInUseError(`${taken.join("; ")}. Stop that program or choose other ports.`);
}
