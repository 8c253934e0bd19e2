import type { Metadata } from "next";
import { TokenForm } from "@/components/tokens/token-form";
import { Badge, type Tone } from "@/components/ui/badge";
import { DeleteForm } from "@/components/ui/delete-form";
import { Empty, PageHeader, Panel } from "@/components/ui/panel";
import { DataTable } from "@/components/ui/table";
import { formatUtc } from "@/lib/domain/format";
import { listApiTokens, tokenHolders, type ApiTokenState } from "@/lib/server/auth/api-token";
import { requireUser } from "@/lib/server/auth/require-user";
import { db } from "@/lib/server/db/client";
import { createTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

const STATE_TONES: Record<ApiTokenState, Tone> = { active: "ok", expired: "muted", revoked: "bad" };

const COLUMNS = [{ label: "Name" }, { label: "Token" }, { label: "Acts as" }, { label: "Scopes" }, { label: "State" }, { label: "Created" }, { label: "Expires" }, { label: "Last used" }, { label: "" }];

export default async function TokensPage() {
  await requireUser("admin");
  const [tokens, users] = await Promise.all([listApiTokens(db), tokenHolders(db)]);
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle="For scripts and probe feeds (npm run token does the same from a shell). A token acts as its user, with that user's role, limited to its scopes. Every change is in the audit log."
      />
      <Panel title="New token">
        <TokenForm action={createTokenAction} users={users} />
      </Panel>
      <Panel title="Tokens" className="mt-4">
        {tokens.length ? (
          <DataTable columns={COLUMNS} label="API tokens" minWidth="min-w-[900px]">
            {tokens.map((token) => (
              <tr key={token.id}>
                <td className="py-2 pr-3 font-medium">{token.name}</td>
                <td className="py-2 pr-3 font-mono text-xs">{token.tokenStart}…</td>
                <td className="py-2 pr-3">{token.username}</td>
                <td className="py-2 pr-3">{token.scopes.join(", ")}</td>
                <td className="py-2 pr-3">
                  <Badge tone={STATE_TONES[token.state]}>{token.state}</Badge>
                </td>
                <td className="py-2 pr-3 text-muted">{formatUtc(token.createdAt)}</td>
                <td className="py-2 pr-3 text-muted">{token.expiresAt ? formatUtc(token.expiresAt) : "never"}</td>
                <td className="py-2 pr-3 text-muted">{token.lastUsedAt ? formatUtc(token.lastUsedAt) : "never"}</td>
                <td className="py-2">
                  {token.state === "active" && (
                    <DeleteForm action={revokeTokenAction} id={token.id} label="Revoke" pendingLabel="Revoking…" confirm={`Revoke ${token.name} (${token.username})? Whatever uses it is refused from now on.`} />
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <Empty>No tokens yet.</Empty>
        )}
      </Panel>
    </>
  );
}
