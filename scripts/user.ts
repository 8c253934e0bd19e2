// Local users, signed in with a password: `npm run user -- <command>` against DATABASE_URL.
//   create NAME --name "Full Name" --role viewer|operator|admin   (the password on stdin, or asked for)
//   list
//   role NAME viewer|operator|admin
//   password NAME                                                 (the password on stdin, or asked for)
//   disable NAME | enable NAME
// This is how a deployment without the demo fleet gets its first admin; SSO users are made at
// their first sign-in. Every change is in the audit log. A new password or a disabled user
// signs that user's browsers out.
// Exit codes: 0 done; 1 refused (unknown user, taken name, short password); 2 usage.
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ROLES, type Role } from "../lib/domain/roles";
import { createLocalUser, listUsers, MIN_PASSWORD_LENGTH, setUserDisabled, setUserPassword, setUserRole } from "../lib/server/auth/users";
import type { Db } from "../lib/server/db/create-client";
import { CLI_ACTOR, runDbCommand, UsageError } from "./db-command";

const USAGE = `usage: npm run user -- create NAME --name "Full Name" --role ${ROLES.join("|")}
       npm run user -- list
       npm run user -- role NAME ${ROLES.join("|")}
       npm run user -- password NAME
       npm run user -- disable NAME | enable NAME
A password (at least ${MIN_PASSWORD_LENGTH} characters) is read from stdin, or asked for in a terminal.`;

function role(value: string | undefined): Role {
  if (!value || !(ROLES as readonly string[]).includes(value)) throw new UsageError(`give a role: ${ROLES.join(", ")}`);
  return value as Role;
}

/** The first line of stdin; in a terminal, asked for without echoing it. */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write("Password (not shown): ");
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const prompt = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await prompt.question("");
  } finally {
    prompt.close();
    process.stderr.write("\n");
  }
}

type Parsed = { command: string | undefined; username: string | undefined; extra: string | undefined; values: { name?: string; role?: string } };

function parseCli(argv: string[]): Parsed {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: "string" }, role: { type: "string" } } });
  const [command, username, extra] = positionals;
  return { command, username, extra, values };
}

async function run(db: Db, { command, username, extra, values }: Parsed): Promise<string> {
  if (command === "list") {
    const users = await listUsers(db);
    return users
      .map((u) => [u.username, u.role, u.sso ? "sso" : "password", u.disabled ? "disabled" : "active", u.lastLoginAt?.toISOString() ?? "never signed in", u.name].join("  "))
      .join("\n");
  }
  if (!command || !username) throw new UsageError("give a command and a user name");
  switch (command) {
    case "create": {
      if (!values.name) throw new UsageError("create needs --name");
      const created = role(values.role);
      await createLocalUser(db, CLI_ACTOR, { username, name: values.name, role: created, password: await readPassword() });
      return `created ${username} (${created})`;
    }
    case "role":
      await setUserRole(db, CLI_ACTOR, username, role(extra));
      return `${username} is now ${extra}`;
    case "password":
      await setUserPassword(db, CLI_ACTOR, username, await readPassword());
      return `new password for ${username}; their browsers are signed out`;
    case "disable":
    case "enable":
      await setUserDisabled(db, CLI_ACTOR, username, command === "disable");
      return `${username} ${command}d`;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runDbCommand("user", USAGE, process.argv.slice(2), parseCli, run);
}
