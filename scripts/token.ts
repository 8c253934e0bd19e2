// API tokens for scripts and probes: `npm run token -- <command>` against DATABASE_URL.
//   create --user NAME --name LABEL --scopes ingest[,read,operate] [--expires-days N]
//          prints the token once; only its hash is stored.
//   list [--user NAME]
//   revoke TOKEN_ID
// A token acts as its user, with that user's role, limited to its scopes. Every create and
// revoke is in the audit log.
// Exit codes: 0 done; 1 refused (unknown user, unknown token); 2 usage.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { API_SCOPES, issueApiToken, listApiTokens, revokeApiToken, type ApiScope } from "../lib/server/auth/api-token";
import type { Db } from "../lib/server/db/create-client";
import { CLI_ACTOR, runDbCommand, UsageError } from "./db-command";

const USAGE = `usage: npm run token -- create --user NAME --name LABEL --scopes ${API_SCOPES.join(",")} [--expires-days N]
       npm run token -- list [--user NAME]
       npm run token -- revoke TOKEN_ID`;

type Parsed = { command: string; args: string[]; values: Record<string, string | undefined> };

function parseCli(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { user: { type: "string" }, name: { type: "string" }, scopes: { type: "string" }, "expires-days": { type: "string" } },
  });
  const [command, ...args] = positionals;
  if (!command) throw new UsageError("give a command");
  return { command, args, values };
}

async function create(db: Db, values: Parsed["values"]): Promise<string> {
  const { user: username, name } = values;
  if (!username || !name || !values.scopes) throw new UsageError("create needs --user, --name and --scopes");
  const scopes = values.scopes.split(",").map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !(API_SCOPES as readonly string[]).includes(scope));
  if (unknown.length) throw new UsageError(`unknown scope ${unknown.join(", ")} (scopes: ${API_SCOPES.join(", ")})`);
  let expiresAt: Date | undefined;
  if (values["expires-days"] !== undefined) {
    const days = Number(values["expires-days"]);
    if (!Number.isInteger(days) || days < 1) throw new UsageError("--expires-days must be a whole number of days, at least 1");
    expiresAt = new Date(Date.now() + days * 86_400_000);
  }
  const { id, token } = await issueApiToken(db, CLI_ACTOR, { username, name, scopes: scopes as ApiScope[], expiresAt });
  return `${token}\n(token ${id} for ${username}, scopes ${scopes.join(",")}${expiresAt ? `, expires ${expiresAt.toISOString()}` : ""}; it is shown only now)`;
}

async function list(db: Db, values: Parsed["values"]): Promise<string> {
  const tokens = await listApiTokens(db, { username: values.user });
  if (!tokens.length) return "no tokens";
  return tokens
    .map((t) => [t.id, t.tokenStart + "…", t.username, t.name, t.scopes.join(","), t.state, t.lastUsedAt?.toISOString() ?? "never used"].join("  "))
    .join("\n");
}

async function revoke(db: Db, args: string[]): Promise<string> {
  const [id] = args;
  if (!id) throw new UsageError("revoke needs a TOKEN_ID (see list)");
  await revokeApiToken(db, CLI_ACTOR, id);
  return `revoked ${id}`;
}

function run(db: Db, { command, args, values }: Parsed): Promise<string> {
  switch (command) {
    case "create":
      return create(db, values);
    case "list":
      return list(db, values);
    case "revoke":
      return revoke(db, args);
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDbCommand("token", USAGE, process.argv.slice(2), parseCli, run);
}
