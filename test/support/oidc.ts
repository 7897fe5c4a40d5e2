import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Someone the test provider knows, by login name. */
export interface Person {
  email: string;
  verified: boolean;
}

export const OIDC_CLIENT_ID = 'mask-dashboard';
export const OIDC_CLIENT_SECRET = 'a client secret long enough for HS256 signing';

/**
 * A real OpenID provider (oidc-provider, with its development login and consent pages) on 127.0.0.1. Its login form
 * takes any password; the login name picks the person.
 */
export async function startOidcProvider(people: Record<string, Person>, redirectUris: () => string[]) {
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    /** Builds the provider once the engine (and so the redirect URI) exists. */
    async configure() {
      const { default: Provider } = await import('oidc-provider');
      const provider = new Provider(issuer, {
        clients: [{ client_id: OIDC_CLIENT_ID, client_secret: OIDC_CLIENT_SECRET, redirect_uris: redirectUris(), grant_types: ['authorization_code'], response_types: ['code'] }],
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        cookies: { keys: ['a test cookie key that is long enough'] },
        pkce: { required: () => true },
        ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600 },
        async findAccount(_ctx, id) {
          const person = people[id];
          if (!person) return undefined;
          return { accountId: id, claims: () => ({ sub: id, email: person.email, email_verified: person.verified, name: id }) };
        },
      });
      handle = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
