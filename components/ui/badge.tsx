import type { ReactNode } from "react";

export type Tone = "ok" | "warn" | "bad" | "drained" | "muted" | "accent";

const TONES: Record<Tone, string> = {
  ok: "border-ok/40 bg-ok/10 text-ok",
  warn: "border-warn/40 bg-warn/10 text-warn",
  bad: "border-bad/50 bg-bad/10 text-bad",
  drained: "border-drained/40 bg-drained/10 text-drained",
  muted: "border-line bg-panel-2 text-muted",
  accent: "border-accent/40 bg-accent/10 text-accent",
};

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ${TONES[tone]}`}>
      {children}
    </span>
  );
}
