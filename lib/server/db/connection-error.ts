import pg from "pg";

// One clear line for a Postgres that cannot be reached, naming the host and never the password.
export function describeConnectionError(databaseUrl: string, error: unknown): string {
  let where = "the configured server";
  let user = "";
  try {
    const url = new URL(databaseUrl);
    where = `${url.hostname}:${url.port || 5432}`;
    user = decodeURIComponent(url.username);
  } catch {
    return "DATABASE_URL is not a valid URL: expected postgresql://user:password@host:port/database";
  }
  const code = (error as { code?: string })?.code;
  switch (code) {
    case "ECONNREFUSED":
      return `Cannot reach Postgres at ${where}: connection refused. Is the server running? Check DATABASE_URL.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot reach Postgres at ${where}: the host name does not resolve. Check DATABASE_URL.`;
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
      return `Cannot reach Postgres at ${where}: the connection timed out. Check DATABASE_URL and firewalls.`;
    case "28P01":
    case "28000":
      return `Postgres at ${where} refused the credentials of user "${user}". Check DATABASE_URL.`;
    case "3D000":
      return `Postgres at ${where} has no such database. Create it, or check DATABASE_URL.`;
    default: {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      return `Cannot use Postgres at ${where}: ${message}`;
    }
  }
}

/** Connects once: null when Postgres at `databaseUrl` answers, else the one line above. */
export async function unreachableReason(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return describeConnectionError(databaseUrl, error);
  } finally {
    await client.end().catch(() => {});
  }
}
