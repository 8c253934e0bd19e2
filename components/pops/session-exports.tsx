import type { ExportedRoute } from "@/lib/agent-protocol/schemas";
import { Empty } from "@/components/ui/panel";

type Session = { id: number; name: string; peerAsn: number; state: string; exports: ExportedRoute[] | null };

/**
 * What the PoP sends each upstream, as its agent read it from the BGP speaker: per prefix the
 * AS path the upstream receives (prepends included) and the communities. The first half of a
 * looking glass.
 */
export function SessionExports({ sessions, current }: { sessions: Session[]; current: boolean }) {
  if (sessions.length === 0) return <Empty>No upstream recorded.</Empty>;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {sessions.map((session) => (
        <section key={session.id} aria-label={`Exported to ${session.name}`} className="min-w-0">
          <h3 className="text-sm font-medium">
            {session.name} <span className="font-mono text-xs text-muted">AS{session.peerAsn}</span>
          </h3>
          {session.exports === null ? (
            <p className="mt-1 text-xs text-muted">{session.state === "established" ? "Not reported by the agent." : `Nothing read: the session is ${session.state}.`}</p>
          ) : session.exports.length === 0 ? (
            <p className="mt-1 text-xs text-warn">Exports nothing{current ? "" : " (at the last report)"}.</p>
          ) : (
            <ul className="mt-1 divide-y divide-line text-sm">
              {session.exports.map((route) => (
                <li key={route.prefix} className="py-1.5">
                  <div className="font-mono">{route.prefix}</div>
                  <div className="text-xs break-words text-muted">
                    AS path <span className="font-mono text-ink">{route.asPath.join(" ")}</span>
                    {route.communities.length > 0 && (
                      <>
                        {" "}
                        · communities <span className="font-mono text-ink">{route.communities.join(" ")}</span>
                      </>
                    )}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
