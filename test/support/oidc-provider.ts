// A real OpenID Connect provider (the `oidc-provider` package) on loopback, for single sign-on
// tests: one confidential client, a few known users with a `groups` claim, and a plain login
// form where the user name is all it asks for.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
// @ts-expect-error -- oidc-provider ships no type declarations; the little used here is typed below.
import Provider from "oidc-provider";

export type OidcTestUser = { name: string; email: string; groups: string[] };

export const OIDC_TEST_USERS: Record<string, OidcTestUser> = {
  "noc-admin": { name: "NOC Admin", email: "noc-admin@example.test", groups: ["noc-admins", "staff"] },
  "noc-viewer": { name: "NOC Viewer", email: "noc-viewer@example.test", groups: [] },
};

export type OidcProviderOptions = {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  users?: Record<string, OidcTestUser>;
};

export type RunningOidcProvider = { issuer: string; stop: () => Promise<void> };

type Interaction = { uid: string; prompt: { name: string } };
type Grant = { addOIDCScope: (scope: string) => void; save: () => Promise<string> };
type ProviderInstance = {
  callback: () => (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails: (req: IncomingMessage, res: ServerResponse) => Promise<Interaction>;
  interactionFinished: (req: IncomingMessage, res: ServerResponse, result: { login: { accountId: string } }, options: { mergeWithLastSubmission: boolean }) => Promise<void>;
};
type GrantContext = { oidc: { client: { clientId: string }; session: { accountId: string }; provider: { Grant: new (init: { clientId: string; accountId: string }) => Grant } } };

const ProviderClass = Provider as new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;
const SCOPES = "openid profile email groups";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, body: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function loginForm(res: ServerResponse, uid: string, error: string | null) {
  page(
    res,
    error ? 401 : 200,
    "Test IdP sign-in",
    `<form method="post" action="/interaction/${escapeHtml(uid)}">
      <label>User name <input name="login" autocomplete="off" required autofocus></label>
      ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ""}
      <button type="submit">Sign in</button>
    </form>`,
  );
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<RunningOidcProvider> {
  const users = options.users ?? OIDC_TEST_USERS;
  const issuer = `http://127.0.0.1:${options.port}`;
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new ProviderClass(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], profile: ["name", "preferred_username"], email: ["email", "email_verified"], groups: ["groups"] },
    scopes: SCOPES.split(" "),
    jwks: { keys: [{ ...signingKey, alg: "RS256", use: "sig", kid: "test" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: Interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const user = users[sub];
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, preferred_username: sub, name: user.name, email: user.email, email_verified: true, groups: user.groups }),
      };
    },
    // A first-party client: consent is given once by the administrator, as in most company IdPs.
    async loadExistingGrant(ctx: GrantContext) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
    renderError(ctx: { type: string; body: string }, out: Record<string, string>) {
      ctx.type = "html";
      ctx.body = `<!doctype html><title>IdP error</title><pre>${escapeHtml(JSON.stringify(out))}</pre>`;
    },
  });

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name !== "login") throw new Error(`the test IdP has no "${details.prompt.name}" prompt`);
    if (req.method !== "POST") return loginForm(res, details.uid, null);
    const login = (await formBody(req)).get("login")?.trim() ?? "";
    if (!users[login]) return loginForm(res, details.uid, `No user "${login}".`);
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  }

  const handle = provider.callback();
  const server = createServer((req, res) => {
    if (!req.url?.startsWith("/interaction/")) return handle(req, res);
    interaction(req, res).catch((error: unknown) => page(res, 500, "Test IdP error", `<pre>${escapeHtml(String(error))}</pre>`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", resolve);
  });
  let stopped: Promise<void> | null = null;
  return {
    issuer,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
