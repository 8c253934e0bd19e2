// Prints a new API token for a user of the lab console (server-only code: run with
// --conditions=react-server). Used by lab/harness.ts for the lab tests and the bench.
//   DATABASE_URL=... node --conditions=react-server --import tsx lab/make-token.ts operator operate,read
import { createApiToken, type ApiScope } from "../lib/server/auth/api-token";
import { createDbClient } from "../lib/server/db/create-client";

const [username = "operator", scopes = "operate,read"] = process.argv.slice(2);
const db = createDbClient(process.env.DATABASE_URL!, 1);
try {
  const user = await db.user.findUniqueOrThrow({ where: { username } });
  const { token } = await createApiToken(db, { userId: user.id, name: `lab ${username}`, scopes: scopes.split(",") as ApiScope[] });
  console.log(token);
} finally {
  await db.$disconnect();
}
