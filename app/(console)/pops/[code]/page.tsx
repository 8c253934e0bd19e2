import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LiveTrafficChart } from "@/components/charts/live-traffic-chart";
import { refreshIntervalMs } from "@/lib/server/catchment/data-sources";
import { Badge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { DataTable } from "@/components/ui/table";
import { Empty, PageHeader, Panel, Stat } from "@/components/ui/panel";
import { AgentHealthBadge, AnnouncementBadge, BgpStateBadge, HealthStateBadge, PopStateBadge, PopStatusBadge, ValidityBadge } from "@/components/ui/state-badges";
import { formatAsn, formatBps, formatPercent } from "@/lib/domain/format";
import { popAnnouncementState } from "@/lib/domain/pop-state";
import { REGION_LABELS } from "@/lib/domain/regions";
import { roleAtLeast } from "@/lib/domain/roles";
import { requireUser } from "@/lib/server/auth/require-user";
import { getPopDetail } from "@/lib/server/pops/get-pop-detail";
import { OperateControls } from "@/components/operations/operate-controls";
import { AssignPrefixForm } from "@/components/pops/assign-prefix-form";
import { RemovePrefixButton } from "@/components/pops/remove-prefix-button";
import { missingFromAgentConfig } from "@/lib/domain/unreported-prefix";
import { upstreamSessionsView } from "@/lib/domain/upstream-sessions";
import { SessionExports } from "@/components/pops/session-exports";
import { pollIntervalMs } from "@/lib/server/agents/agent-config";
import { listAssignablePrefixes } from "@/lib/server/pops/list-assignable-prefixes";
import { OperationStatusBadge } from "@/components/operations/operation-badges";
import { listOperations } from "@/lib/server/operations/get-operation";
import { requestOperationAction } from "../../operations/actions";
import { assignPrefixAction, unassignPrefixAction } from "../actions";
import { db } from "@/lib/server/db/client";

// The poller marks an agent unreachable after this many missed polls; a report older than that is stale too.
const STALE_POLLS = 3;

type Props = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  return { title: code.toUpperCase() };
}

function since(date: Date | null) {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "–";
}

export default async function PopPage({ params }: Props) {
  const { code } = await params;
  const user = await requireUser();
  const detail = await getPopDetail(db, code);
  if (!detail) notFound();
  const { pop, upstreams, announcements, latestTraffic: latest, audit, healthChecks, healthEvents, leases } = detail;
  const isAdmin = roleAtLeast(user.role, "admin");
  const [operations, assignable] = await Promise.all([listOperations(db, { popId: pop.id, take: 5 }), isAdmin ? listAssignablePrefixes(db, pop.id) : []]);
  const capacityBps = pop.capacityGbps * 1e9;
  const sessions = upstreamSessionsView(pop, upstreams, new Date(), STALE_POLLS * pollIntervalMs());
  return (
    <>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">{pop.code}</span>
            <span className="text-lg font-normal text-muted">{pop.name}</span>
            <PopStatusBadge status={pop.status} />
            <PopStateBadge state={popAnnouncementState(announcements)} />
            <AgentHealthBadge health={pop.agentHealth} />
            {pop.agentMaintenance && <Badge tone="drained" title={pop.agentMaintenanceReason ?? undefined}>agent maintenance</Badge>}
            {pop.simulated && <Badge tone="accent">simulated</Badge>}
          </span>
        }
        subtitle={`${pop.city}, ${pop.country} · ${REGION_LABELS[pop.region]} · ${pop.latitude.toFixed(4)}, ${pop.longitude.toFixed(4)}`}
        actions={isAdmin && <Link href={`/pops/${pop.code}/edit`} className={buttonClass("secondary")}>Edit PoP</Link>}
      />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Capacity" value={`${pop.capacityGbps} Gbps`} />
        <Stat label="Traffic now" value={latest ? formatBps(latest.bps) : "–"} hint={latest ? `${formatPercent(latest.bps / capacityBps)} of capacity` : "no samples"} tone={latest && latest.bps / capacityBps > 0.85 ? "bad" : "ink"} />
        <Stat
          label="Upstreams up"
          value={sessions.summary}
          tone={sessions.current ? "ink" : "warn"}
          hint={sessions.current ? undefined : pop.agentSeenAt ? `last report ${since(pop.agentSeenAt)}` : "no report yet"}
        />
        <Stat label="Agent" value={pop.agentHealth} hint={pop.agentSeenAt ? `seen ${since(pop.agentSeenAt)}` : pop.agentUrl ? "not polled yet" : "no agent URL"} />
      </div>
      {pop.agentError && (
        <div role="alert" aria-label="Agent error" className="mt-4 rounded-lg border border-bad/50 bg-bad/10 px-4 py-3 text-sm text-bad">
          <span className="font-semibold">Agent:</span> {pop.agentError}
        </div>
      )}

      {pop.agentMaintenance && (
        <div className="mt-4 rounded border border-drained/40 bg-drained/10 px-3 py-2 text-sm text-drained">
          <span className="font-semibold">Maintenance mode</span> (set on the agent{pop.agentMaintenanceSince ? ` since ${since(pop.agentMaintenanceSince)}` : ""}): every prefix is drained by the agent.
          {pop.agentMaintenanceReason && <span className="text-muted"> {pop.agentMaintenanceReason}</span>}
        </div>
      )}

      {roleAtLeast(user.role, "operator") && announcements.length > 0 && (
        <Panel title="Operate" className="mt-4">
          <OperateControls
            popCode={pop.code}
            prefixes={announcements.map((a) => ({ id: a.prefixId, cidr: a.prefix.cidr }))}
            isAdmin={isAdmin}
            requestAction={requestOperationAction}
          />
        </Panel>
      )}

      <div className="mt-4 grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Panel title="Announcements">
          {announcements.length === 0 ? (
            <Empty>No prefix is assigned to this PoP yet{isAdmin ? ": assign one below." : ": an admin assigns them here."}</Empty>
          ) : (
            <DataTable columns={[{ label: "Prefix" }, { label: "Desired" }, { label: "Observed" }, { label: "RPKI" }, { label: "Catchment", align: "right" }]}>
                  {announcements.map((a) => (
                    <tr key={a.id}>
                      <td className="py-2 pr-3">
                        <Link href={`/prefixes/${a.prefixId}`} className="font-mono hover:text-accent">
                          {a.prefix.cidr}
                        </Link>
                        <div className="text-xs text-muted">
                          {a.prefix.service} · {formatAsn(a.prefix.originAsn)}
                        </div>
                        {isAdmin &&
                          (a.desiredState === "withdrawn" ? (
                            <RemovePrefixButton action={unassignPrefixAction} popCode={pop.code} cidr={a.prefix.cidr} />
                          ) : (
                            <div className="mt-1 text-xs text-muted">Withdraw it to remove it from this PoP.</div>
                          ))}
                      </td>
                      <td className="py-2 pr-3">
                        <AnnouncementBadge state={a.desiredState} prepend={a.prependCount} />
                        {a.reason && <div className="mt-0.5 text-xs text-muted">{a.reason}</div>}
                      </td>
                      <td className="py-2 pr-3">
                        {a.observedState ? <AnnouncementBadge state={a.observedState} prepend={a.observedPrepend} /> : <span className="text-muted">–</span>}
                        {missingFromAgentConfig(a, { reportsCurrent: sessions.current, agentSeenAt: pop.agentSeenAt }) && (
                          <div className="mt-0.5 text-xs text-warn">The agent does not report it: add it to the agent&apos;s config file.</div>
                        )}
                        {a.drift && <div className="text-xs text-warn">drift from desired</div>}
                      </td>
                      <td className="py-2 pr-3">
                        <ValidityBadge validity={a.validity} />
                        <div className="mt-0.5 font-mono text-xs text-muted" title="ROAs covering this route">
                          {a.covering.length ? a.covering.join(", ") : "no covering ROA"}
                        </div>
                      </td>
                      <td className="py-2 text-right font-mono tabular-nums">
                        {a.catchment.here} probes
                        <div className="text-xs text-muted">{a.catchment.total ? formatPercent(a.catchment.here / a.catchment.total, 1) : "–"}</div>
                      </td>
                    </tr>
                  ))}
                </DataTable>
          )}
          {isAdmin && (
            <div className="mt-4 border-t border-line pt-4">
              <AssignPrefixForm action={assignPrefixAction} popCode={pop.code} prefixes={assignable} />
            </div>
          )}
        </Panel>
        <Panel title="Upstreams and BGP sessions">
          {sessions.note && upstreams.length > 0 && (
            <p role="note" className="mb-2 rounded border border-warn/40 bg-warn/10 px-3 py-2 text-sm text-warn">
              {sessions.note}
            </p>
          )}
          {upstreams.length === 0 ? (
            <Empty>No upstream recorded.</Empty>
          ) : (
            <DataTable columns={[{ label: "Upstream" }, { label: "Peer" }, { label: "Session" }, { label: "Sent / received", align: "right" }]}>
                  {upstreams.map((u) => (
                    <tr key={u.id}>
                      <td className="py-2 pr-3">
                        {u.name}
                        <div className="text-xs text-muted">{u.kind}</div>
                      </td>
                      <td className="py-2 pr-3 font-mono">
                        {formatAsn(u.peerAsn)}
                        <div className="text-xs text-muted">{u.peerAddress}</div>
                      </td>
                      <td className="py-2 pr-3">
                        {sessions.current ? (
                          <>
                            <BgpStateBadge state={u.state} />
                            <div className="text-xs text-muted">since {since(u.stateSince)}</div>
                          </>
                        ) : (
                          <>
                            <Badge tone="muted" title="Not current: see the note above">{sessions.summary}</Badge>
                            <div className="text-xs text-muted">{u.state === "unknown" ? "never reported" : `was ${u.state} at the last report`}</div>
                          </>
                        )}
                      </td>
                      <td className="py-2 text-right font-mono tabular-nums">
                        {u.prefixesSent ?? "–"} / {u.prefixesReceived ?? "–"}
                      </td>
                    </tr>
                  ))}
                </DataTable>
          )}
        </Panel>
        <Panel title="What each upstream receives">
          {!sessions.current && upstreams.length > 0 && <p className="mb-2 text-xs text-warn">As of the agent&apos;s last report (see the sessions above).</p>}
          <SessionExports sessions={upstreams} current={sessions.current} />
        </Panel>
      </div>

      <Panel title="Health checks" className="mt-4">
        {healthChecks.length === 0 ? (
          <Empty>{pop.agentUrl ? "The agent has reported no health check." : "No agent, so no health check."}</Empty>
        ) : (
          <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
            <DataTable columns={[{ label: "Check" }, { label: "State" }, { label: "Detail" }]}>
              {healthChecks.map((check) => (
                <tr key={check.id}>
                  <td className="py-2 pr-3">
                    <span className="font-semibold">{check.name}</span>
                    <div className="text-xs text-muted">
                      {check.kind} {check.target}
                      {check.service ? ` · ${check.service}` : ""} · every {check.intervalMs / 1000} s, rise {check.rise}, fall {check.fall}
                    </div>
                  </td>
                  <td className="py-2 pr-3">
                    <HealthStateBadge state={check.state} />
                    <div className="text-xs text-muted">since {since(check.since)}</div>
                  </td>
                  <td className="py-2 text-xs text-muted">
                    {check.detail}
                    {check.checkedAt && <div>checked {since(check.checkedAt)}</div>}
                  </td>
                </tr>
              ))}
            </DataTable>
            <div>
              <h3 className="mb-1 text-sm font-semibold">Recent health events</h3>
              {healthEvents.length === 0 ? (
                <Empty>No state change recorded.</Empty>
              ) : (
                <ul className="divide-y divide-line text-sm" aria-label="Recent health events">
                  {healthEvents.map((event) => (
                    <li key={event.id} className="flex flex-wrap items-center gap-x-2 gap-y-1 py-1.5">
                      <span className="font-mono text-muted">{since(event.at)}</span>
                      <span className="font-semibold">{event.check}</span>
                      <HealthStateBadge state={event.from} />
                      <span aria-hidden>→</span>
                      <HealthStateBadge state={event.to} />
                      <span className="text-xs text-muted">{event.detail}</span>
                    </li>
                  ))}
                </ul>
              )}
              {leases.length > 0 && (
                <p className="mt-2 text-sm text-bad">
                  Withdrawn under a console lease (the safety floor allowed it): {leases.map((lease) => `${lease.cidr} until ${since(lease.expiresAt)}`).join(", ")}.
                </p>
              )}
            </div>
          </div>
        )}
      </Panel>

      <Panel title="Traffic vs capacity, 24 h" className="mt-4">
        <LiveTrafficChart pop={pop.code} label={`${pop.code} traffic against capacity over the last 24 hours`} refreshMs={refreshIntervalMs()} />
      </Panel>

      <Panel title="Recent operations" className="mt-4" actions={<Link href="/operations" className="text-sm text-accent">All operations</Link>}>
        {operations.length === 0 ? (
          <Empty>No operation on this PoP yet.</Empty>
        ) : (
          <ul className="divide-y divide-line text-sm">
            {operations.map((op) => (
              <li key={op.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
                <span className="font-mono text-muted">{since(op.createdAt)}</span>
                <Link href={`/operations/${op.id}`} className="font-semibold hover:text-accent">
                  {op.kind} {op.prefix?.cidr ?? "all prefixes"}
                </Link>
                <OperationStatusBadge status={op.status} />
                <span className="text-muted">by {op.requestedBy.username}</span>
              </li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel title="Recent changes" className="mt-4">
        {audit.length === 0 ? (
          <Empty>No change recorded for this PoP.</Empty>
        ) : (
          <ul className="divide-y divide-line text-sm">
            {audit.map((event) => (
              <li key={String(event.id)} className="flex flex-wrap gap-x-3 py-1.5">
                <span className="font-mono text-muted">{since(event.at)}</span>
                <span>{event.actorName}</span>
                <span className="font-mono">{event.action}</span>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </>
  );
}
