import { POP_STATE_LABELS, type PopAnnouncementState } from "@/lib/domain/pop-state";
import { VALIDITY_LABELS, type Validity } from "@/lib/domain/rpki";
import { Badge, type Tone } from "./badge";

const POP_STATE_TONES: Record<PopAnnouncementState, Tone> = {
  announced: "ok",
  drained: "drained",
  withdrawn: "bad",
  mixed: "warn",
  none: "muted",
};

export function PopStateBadge({ state }: { state: PopAnnouncementState }) {
  return <Badge tone={POP_STATE_TONES[state]}>{POP_STATE_LABELS[state]}</Badge>;
}

export function AnnouncementBadge({ state, prepend }: { state: "announced" | "drained" | "withdrawn"; prepend?: number | null }) {
  return (
    <Badge tone={POP_STATE_TONES[state]}>
      {POP_STATE_LABELS[state]}
      {state === "drained" && prepend ? ` (prepend ×${prepend})` : ""}
    </Badge>
  );
}

const STATUS_TONES: Record<string, Tone> = { active: "ok", maintenance: "warn", decommissioned: "muted" };

export function PopStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? "muted"}>{status}</Badge>;
}

export function BgpStateBadge({ state }: { state: string }) {
  const tone: Tone = state === "established" ? "ok" : state === "unknown" ? "muted" : "bad";
  return <Badge tone={tone}>{state === "established" ? "Established" : state}</Badge>;
}

const VALIDITY_TONES: Record<Validity, Tone> = { valid: "ok", invalid_asn: "bad", invalid_length: "bad", not_found: "warn" };

export function ValidityBadge({ validity }: { validity: Validity }) {
  return <Badge tone={VALIDITY_TONES[validity]}>RPKI {VALIDITY_LABELS[validity]}</Badge>;
}

const AGENT_TONES: Record<string, Tone> = { ok: "ok", stale: "warn", unreachable: "bad", unknown: "muted" };

export function AgentHealthBadge({ health }: { health: string }) {
  return <Badge tone={AGENT_TONES[health] ?? "muted"} title="Agent reachability, from the console's last status poll">agent {health}</Badge>;
}

const HEALTH_TONES: Record<string, Tone> = { up: "ok", falling: "warn", rising: "warn", down: "bad", unknown: "muted" };

export function HealthStateBadge({ state }: { state: string }) {
  return <Badge tone={HEALTH_TONES[state] ?? "muted"}>{state}</Badge>;
}
