import { Badge, type Tone } from "@/components/ui/badge";

const STATUS_TONES: Record<string, Tone> = { running: "accent", succeeded: "ok", partial: "warn", failed: "bad", refused: "bad" };

export function OperationStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? "muted"}>{status}</Badge>;
}

const STEP_TONES: Record<string, Tone> = { pending: "muted", succeeded: "ok", failed: "bad" };

export function StepStatusBadge({ status }: { status: string }) {
  return <Badge tone={STEP_TONES[status] ?? "muted"}>{status === "succeeded" ? "acknowledged" : status}</Badge>;
}
