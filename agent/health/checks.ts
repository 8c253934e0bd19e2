import { createSocket } from "node:dgram";
import { randomInt } from "node:crypto";
import { isIP, Socket } from "node:net";
import { decode, encode, type Packet } from "dns-packet";

export type CheckResult = { ok: boolean; detail: string; ms: number };

export type DnsQuery = { name: string; type: "TXT" | "A" | "AAAA" | "SOA" | "NS"; class: "IN" | "CH" };

/** The question RIPE Atlas and the lab's probes ask: which server answers here? */
export const DEFAULT_DNS_QUERY: DnsQuery = { name: "hostname.bind", type: "TXT", class: "CH" };

export type HostPort = { host: string; port: number };

/** `127.0.0.1:53`, `[::1]:53`, or a bare address (then `defaultPort`). */
export function parseHostPort(target: string, defaultPort?: number): HostPort | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(target);
  let host: string;
  let portText: string | undefined;
  if (bracketed) [, host = "", portText] = bracketed;
  else if (isIP(target) === 6) host = target;
  else {
    const colon = target.lastIndexOf(":");
    host = colon === -1 ? target : target.slice(0, colon);
    portText = colon === -1 ? undefined : target.slice(colon + 1);
  }
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!host || port === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) return null;
  return { host, port };
}

const elapsed = (started: number) => Math.round(performance.now() - started);

/**
 * Asks the local DNS service one question over UDP and passes on a NOERROR answer with at
 * least one record (by default CHAOS TXT hostname.bind, which every anycast DNS server answers).
 */
export function checkDns(target: HostPort, query: DnsQuery, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const id = randomInt(0, 0x10000);
  const question = encode({ type: "query", id, flags: 0x0100, questions: [{ name: query.name, type: query.type, class: query.class }] } as Packet);
  const socket = createSocket(isIP(target.host) === 6 ? "udp6" : "udp4");
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean, detail: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve({ ok, detail, ms: elapsed(started) });
    };
    const timer = setTimeout(() => finish(false, `no DNS answer from ${target.host}:${target.port} within ${timeoutMs} ms`), timeoutMs);
    socket.on("error", (error: NodeJS.ErrnoException) => finish(false, `DNS query to ${target.host}:${target.port} failed (${error.code ?? error.message})`));
    socket.on("message", (message) => {
      let answer: Packet;
      try {
        answer = decode(message);
      } catch {
        return finish(false, `malformed DNS answer from ${target.host}:${target.port}`);
      }
      if (answer.id !== id) return; // not ours: keep waiting
      const rcode = (answer as { rcode?: string }).rcode ?? "NOERROR";
      if (rcode !== "NOERROR") return finish(false, `${query.class} ${query.type} ${query.name}: ${rcode}`);
      const records = answer.answers ?? [];
      if (records.length === 0) return finish(false, `${query.class} ${query.type} ${query.name}: NOERROR with no answer`);
      const first = records[0] as { data?: unknown };
      const data = Array.isArray(first.data) ? first.data.map(String).join("") : String(first.data ?? "");
      finish(true, `${query.name} answered ${JSON.stringify(data)} in ${elapsed(started)} ms`);
    });
    socket.send(question, target.port, target.host, (error) => {
      if (error) finish(false, `DNS query to ${target.host}:${target.port} failed (${(error as NodeJS.ErrnoException).code ?? error.message})`);
    });
  });
}

/** Passes on an HTTP 2xx or 3xx within the timeout (redirects are not followed). */
export async function checkHttp(url: string, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs), headers: { "user-agent": "catchment-agent-healthcheck" } });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 400;
    return { ok, detail: `HTTP ${response.status} in ${elapsed(started)} ms`, ms: elapsed(started) };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, detail: `no HTTP answer from ${url} within ${timeoutMs} ms`, ms: elapsed(started) };
    const cause = (error as { cause?: { code?: string } }).cause;
    return { ok: false, detail: `HTTP request to ${url} failed (${cause?.code ?? (error as Error).message})`, ms: elapsed(started) };
  }
}

/** Passes when a TCP connection opens within the timeout; closes it at once. */
export function checkTcp(target: HostPort, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = new Socket();
    let done = false;
    const finish = (ok: boolean, detail: string) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ ok, detail, ms: elapsed(started) });
    };
    socket.setTimeout(timeoutMs, () => finish(false, `no TCP connection to ${target.host}:${target.port} within ${timeoutMs} ms`));
    socket.once("connect", () => finish(true, `TCP ${target.host}:${target.port} connected in ${elapsed(started)} ms`));
    socket.once("error", (error: NodeJS.ErrnoException) => finish(false, `TCP ${target.host}:${target.port} failed (${error.code ?? error.message})`));
    socket.connect(target.port, target.host);
  });
}
