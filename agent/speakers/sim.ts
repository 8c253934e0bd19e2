import { setTimeout as sleep } from "node:timers/promises";
import type { ExportedRoute, SessionStatus } from "@/lib/agent-protocol/schemas";
import { SpeakerError, type RouteIntent, type Speaker, type SpeakerStatus } from "./speaker";

export type SimUpstream = { name: string; peerAsn: number; peerAddress: string };

export type SimSpeakerOptions = {
  upstreams: SimUpstream[];
  /** The PoP's ASN: with it, each session reports the AS paths it would receive. */
  asn?: number;
  /** Simulates a slow speaker (BIRD's `configure` takes a moment on a big config). */
  applyDelayMs?: number;
  now?: () => Date;
};

/**
 * The simulated speaker of the demo fleet: routes and sessions in memory, every upstream
 * established from start. It sits behind the same agent code path as a real driver.
 */
export class SimSpeaker implements Speaker {
  readonly driver = "sim" as const;
  private readonly routes = new Map<string, RouteIntent>();
  private startedAt: Date | null = null;
  private fault: { message: string; since: Date } | null = null;
  private readonly now: () => Date;

  constructor(private readonly options: SimSpeakerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async start(): Promise<void> {
    this.startedAt ??= this.now();
  }

  /** The simulated routes live in this process: they are gone when it stops, as on a real crash. */
  async stop(): Promise<void> {
    this.startedAt = null;
    this.routes.clear();
  }

  /**
   * While a fault is set the speaker is down: sessions drop and every apply fails, the way a
   * dead BIRD control socket would. For demos of a broken PoP, and for tests.
   */
  setFault(message: string | null): void {
    this.fault = message === null ? null : { message, since: this.now() };
  }

  async apply(prefix: string, intent: RouteIntent): Promise<void> {
    if (!this.startedAt) throw new SpeakerError("not_running", "the simulated speaker is not running");
    if (this.options.applyDelayMs) await sleep(this.options.applyDelayMs);
    if (this.fault) throw new SpeakerError("unavailable", this.fault.message);
    this.routes.set(prefix, { state: intent.state, prepend: intent.prepend, communities: [...intent.communities] });
  }

  async status(): Promise<SpeakerStatus> {
    const exported = [...this.routes.values()].filter((route) => route.state !== "withdrawn").length;
    const up = this.startedAt !== null && this.fault === null;
    const since = up ? this.startedAt : (this.fault?.since ?? null);
    const sessions: SessionStatus[] = this.options.upstreams.map((upstream) => ({
      name: upstream.name,
      peerAsn: upstream.peerAsn,
      peerAddress: upstream.peerAddress,
      state: up ? "established" : "active",
      since: since?.toISOString() ?? null,
      prefixesSent: up ? exported : 0,
      prefixesReceived: up ? 0 : null,
      exports: up ? this.exports() : null,
    }));
    return {
      up,
      error: this.startedAt === null ? "not running" : (this.fault?.message ?? null),
      sessions,
      routes: [...this.routes.entries()].map(([prefix, route]) => ({ prefix, ...route, communities: [...route.communities] })),
    };
  }

  /** What every session receives: the PoP's ASN, once more per prepend. Null without an ASN to show. */
  private exports(): ExportedRoute[] | null {
    const asn = this.options.asn;
    if (asn === undefined) return null;
    return [...this.routes.entries()]
      .filter(([, route]) => route.state !== "withdrawn")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([prefix, route]) => ({ prefix, asPath: Array<number>(1 + route.prepend).fill(asn), communities: [...route.communities].sort() }));
  }
}
