import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Empty, PageHeader } from "@/components/ui/panel";
import { auditSearchParams, describeAuditDetail, readAuditQuery, type AuditQueryField } from "@/lib/domain/audit-query";
import { formatUtc } from "@/lib/domain/format";
import { listAuditEvents, type AuditRow } from "@/lib/server/audit/list-audit-events";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 100;
const ACTION_PREFIXES = ["auth.", "auth.sign_in_failed", "pop.", "operation.", "operation.override", "api_token.", "audit.export"];
const CONTROL = "rounded-md border border-line bg-canvas px-2 py-1.5 text-sm aria-[invalid=true]:border-bad";

// Failures and overrides stand out when scanning a long log.
function actionTone(action: string) {
  if (action.endsWith("_failed") || action.endsWith(".override")) return "text-warn";
  return "";
}

function FilterField({ name, label, value, error, placeholder, width, list }: {
  name: AuditQueryField;
  label: string;
  value: string;
  error?: string;
  placeholder: string;
  width: string;
  list?: string;
}) {
  return (
    <div className="text-sm">
      <label htmlFor={`audit-${name}`} className="block text-xs text-muted">
        {label}
      </label>
      <input
        id={`audit-${name}`}
        name={name}
        defaultValue={value}
        placeholder={placeholder}
        list={list}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`audit-${name}-error`}
        className={`${CONTROL} ${width}`}
      />
      <div id={`audit-${name}-error`} aria-live="polite" className="max-w-64 text-xs text-bad">
        {error}
      </div>
    </div>
  );
}

function Row({ event }: { event: AuditRow }) {
  const detail = describeAuditDetail(event.action, event.detail);
  return (
    <tr className="align-top hover:bg-panel">
      <td className="px-3 py-1.5 font-mono whitespace-nowrap text-muted tabular-nums">
        <time dateTime={event.at.toISOString()}>{formatUtc(event.at)}</time>
      </td>
      <td className="px-3 py-1.5 whitespace-nowrap">{event.actorName}</td>
      <td className={`px-3 py-1.5 font-mono whitespace-nowrap ${actionTone(event.action)}`}>{event.action}</td>
      <td className="px-3 py-1.5 whitespace-nowrap">
        {event.targetType && <span className="text-muted">{event.targetType} </span>}
        <span className="font-mono">{event.targetId}</span>
      </td>
      <td className="px-3 py-1.5">
        {event.popCode ? (
          <Link href={`/pops/${event.popCode}`} className="font-mono font-semibold hover:text-accent">
            {event.popCode}
          </Link>
        ) : event.popId !== null ? (
          <span className="text-muted" title="This PoP has since been deleted">
            #{event.popId}
          </span>
        ) : null}
      </td>
      <td className="px-3 py-1.5 font-mono whitespace-nowrap text-muted">{event.ip}</td>
      <td className="max-w-[36rem] px-3 py-1.5 break-words text-muted" title={JSON.stringify(event.detail)}>
        {detail}
      </td>
    </tr>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const { query, errors, values } = readAuditQuery(await searchParams);
  const { rows, hasMore } = await listAuditEvents(db, query, { limit: PAGE_SIZE });
  const filtered = Object.values(values).some(Boolean);
  const last = rows.at(-1);
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle={`Newest first, times in UTC · ${rows.length} ${rows.length === 1 ? "entry" : "entries"} on this page`}
        actions={
          <a href={`/api/v1/audit?${auditSearchParams(query)}`} download className={buttonClass("secondary")}>
            Export CSV
          </a>
        }
      />
      <p className="mb-4 text-sm text-muted">
        Every sign-in, PoP change, operation and override is recorded here. The log is append-only in the database itself: a trigger refuses
        any update, delete or truncate of it, so no one, not even an admin, can edit or remove an entry.
      </p>
      <form className="mb-4 flex flex-wrap items-start gap-2" role="search" aria-label="Filter the audit log">
        <FilterField name="pop" label="PoP" value={values.pop} error={errors.pop} placeholder="AMS1" width="w-24" />
        <FilterField name="user" label="User" value={values.user} error={errors.user} placeholder="user name" width="w-36" />
        <FilterField name="action" label="Action starts with" value={values.action} error={errors.action} placeholder="auth." width="w-44" list="audit-actions" />
        <datalist id="audit-actions">
          {ACTION_PREFIXES.map((prefix) => (
            <option key={prefix} value={prefix} />
          ))}
        </datalist>
        <FilterField name="from" label="From (UTC)" value={values.from} error={errors.from} placeholder="2026-11-25" width="w-44" />
        <FilterField name="to" label="To (UTC, inclusive)" value={values.to} error={errors.to} placeholder="2026-11-25T14:30" width="w-44" />
        <div className="flex gap-2 self-end pb-px">
          <button className={buttonClass("secondary")}>Filter</button>
          {(filtered || query.cursor !== undefined) && (
            <Link href="/audit" className={buttonClass("ghost")}>
              Clear
            </Link>
          )}
        </div>
      </form>
      {rows.length === 0 ? (
        <Empty>{query.cursor !== undefined ? "No older entries." : "No entry matches these filters."}</Empty>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-line">
          <table className="w-full min-w-[960px] text-sm">
            <thead className="bg-panel text-left text-xs text-muted uppercase">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Time (UTC)</th>
                <th scope="col" className="px-3 py-2 font-medium">Actor</th>
                <th scope="col" className="px-3 py-2 font-medium">Action</th>
                <th scope="col" className="px-3 py-2 font-medium">Target</th>
                <th scope="col" className="px-3 py-2 font-medium">PoP</th>
                <th scope="col" className="px-3 py-2 font-medium">IP</th>
                <th scope="col" className="px-3 py-2 font-medium">Detail</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {rows.map((event) => (
                <Row key={String(event.id)} event={event} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="Pages" className="mt-4 flex flex-wrap gap-2">
        {query.cursor !== undefined && (
          <Link href={`/audit?${auditSearchParams(query)}`} className={buttonClass("ghost")}>
            Newest entries
          </Link>
        )}
        {hasMore && last && (
          <Link href={`/audit?${auditSearchParams(query, last.id)}`} className={buttonClass("secondary")}>
            Older entries
          </Link>
        )}
      </nav>
    </>
  );
}
