import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { OperationStatusBadge, StepStatusBadge } from "@/components/operations/operation-badges";
import { PredictionCheckPanel } from "@/components/operations/prediction-check";
import { RetryButton } from "@/components/operations/retry-button";
import { Badge } from "@/components/ui/badge";
import { PageHeader, Panel } from "@/components/ui/panel";
import { AnnouncementBadge } from "@/components/ui/state-badges";
import { evidenceSplit } from "@/lib/domain/catchment/evidence";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { getOperation } from "@/lib/server/operations/get-operation";
import { retryOperationAction } from "../actions";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Operation" };

function utc(date: Date) {
  return date.toISOString().replace("T", " ").slice(0, 23) + " UTC";
}

function TimelineItem({ tone, title, time, children }: { tone: "ok" | "bad" | "warn" | "accent"; title: string; time?: Date | null; children?: React.ReactNode }) {
  const dot = { ok: "bg-ok", bad: "bg-bad", warn: "bg-warn", accent: "bg-accent" }[tone];
  return (
    <li className="relative border-l border-line pb-5 pl-5 last:pb-0">
      <span className={`absolute top-1.5 -left-[5px] h-2.5 w-2.5 rounded-full ${dot}`} aria-hidden />
      <div className="flex flex-wrap items-baseline gap-x-3">
        <span className="font-semibold">{title}</span>
        {time && <span className="font-mono text-xs text-muted">{utc(time)}</span>}
      </div>
      {children && <div className="mt-1 text-sm">{children}</div>}
    </li>
  );
}

export default async function OperationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser();
  const operation = await getOperation(db, id);
  if (!operation) notFound();
  const failed = operation.steps.filter((step) => step.status === "failed");
  const capacity = operation.verdict.capacity;
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span>
              {operation.kind}{" "}
              {operation.pop ? (
                <Link href={`/pops/${operation.pop.code}`} className="font-mono hover:text-accent">
                  {operation.pop.code}
                </Link>
              ) : (
                <span className="font-mono">{operation.popCodes.join(", ")}</span>
              )}
              {operation.prefix && <span className="font-mono text-muted"> {operation.prefix.cidr}</span>}
            </span>
            <OperationStatusBadge status={operation.status} />
            {operation.overrideReason && <Badge tone="warn">safety override</Badge>}
          </span>
        }
        subtitle={`Operation ${operation.id}`}
      />
      {operation.status === "partial" || operation.status === "failed" ? (
        <div role="alert" className="mb-4 rounded-lg border border-bad/60 bg-bad/10 p-4">
          <p className="font-semibold text-bad">
            {failed.length} of {operation.steps.length} agent calls failed: those PoPs may still be in their previous state.
          </p>
          {roleAtLeast(user.role, "operator") && (
            <div className="mt-3">
              <RetryButton action={retryOperationAction} operationId={operation.id} failed={failed.length} />
            </div>
          )}
        </div>
      ) : null}
      <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
        <Panel title="Timeline">
          <ol aria-label="Operation timeline">
            <TimelineItem tone="accent" title={`Requested by ${operation.requestedBy.username}`} time={operation.createdAt}>
              <p>{operation.reason}</p>
              {operation.ticket && <p className="text-muted">Ticket {operation.ticket}</p>}
              {operation.overrideReason && <p className="text-warn">Override by an admin: {operation.overrideReason}</p>}
            </TimelineItem>
            <TimelineItem tone={operation.verdict.ok ? "ok" : operation.overrideReason ? "warn" : "bad"} title={operation.verdict.ok ? "Safety checks passed" : "Safety checks failed"}>
              <ul className="space-y-1">
                {operation.verdict.checks.map((check) => (
                  <li key={check.name}>
                    <Badge tone={check.ok ? "ok" : "bad"}>{check.name}</Badge> {check.message}
                  </li>
                ))}
              </ul>
            </TimelineItem>
            {operation.status === "refused" ? (
              <TimelineItem tone="bad" title="Refused: nothing was sent to any agent" time={operation.finishedAt}>
                <p>
                  Would have changed {operation.plan.length} announcement{operation.plan.length === 1 ? "" : "s"} at {operation.popCodes.join(", ")}:{" "}
                  {[...new Set(operation.plan.map((step) => step.cidr))].join(", ")}.
                </p>
              </TimelineItem>
            ) : (
              operation.steps.map((step) => (
                <TimelineItem
                  key={step.id}
                  tone={step.status === "succeeded" ? "ok" : step.status === "failed" ? "bad" : "accent"}
                  title={`${step.pop.code} ${step.prefix.cidr}: ${step.status === "succeeded" ? "acknowledged" : step.status === "failed" ? "failed" : "waiting for the agent"}`}
                  time={step.finishedAt}
                >
                  <span className="inline-flex flex-wrap items-center gap-2">
                    <AnnouncementBadge state={step.targetState} prepend={step.prependCount} />
                    <StepStatusBadge status={step.status} />
                    <span className="text-xs text-muted">
                      {step.attempts} attempt{step.attempts === 1 ? "" : "s"}
                      {step.startedAt && step.finishedAt ? ` · ${step.finishedAt.getTime() - step.startedAt.getTime()} ms` : ""}
                    </span>
                  </span>
                  {step.error && <p className="mt-1 text-bad">{step.error}</p>}
                </TimelineItem>
              ))
            )}
            {operation.finishedAt && operation.status !== "refused" && (
              <TimelineItem tone={operation.status === "succeeded" ? "ok" : "bad"} title={`Completed: ${operation.status}`} time={operation.finishedAt} />
            )}
          </ol>
        </Panel>
        {capacity && (
          <Panel title="Predicted impact (estimate)">
            <p className="text-sm">
              {capacity.movedProbes} probe answers predicted to move{capacity.stranded ? `, ${capacity.stranded} with no PoP left` : ""}.
            </p>
            {evidenceSplit(capacity) && <p className="text-sm text-muted">Evidence: {evidenceSplit(capacity)}.</p>}
            <ul className="mt-2 space-y-1 text-sm">
              {capacity.receivers.map((r) => (
                <li key={r.popId} className="flex justify-between gap-2 font-mono">
                  <span>{r.code}</span>
                  <span>
                    {Math.round((r.currentBps / r.capacityBps) * 100)} % → {Math.round((r.predictedBps / r.capacityBps) * 100)} %
                  </span>
                </li>
              ))}
            </ul>
          </Panel>
        )}
        <PredictionCheckPanel check={operation.predictionCheck} />
      </div>
    </>
  );
}
