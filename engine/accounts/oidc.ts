import type * as Oidc from 'openid-client';
import type { SecretRef } from '../domain/engine-secret';
import { constantTimeEqual, hmacBase64Url } from '../support/crypto';
import { ApiError } from '../support/errors';
import { openidClient } from '../support/optional-deps';
import type { Clock } from '../support/time';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Lower-cased email domains allowed to sign in; empty: any domain. */
  allowedDomains: string[];
  label: string;
}

/** How long a sign-in may take between the redirect to the provider and its callback. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
  expires: number;
}

const refused = (reason: string) => new ApiError('forbidden', reason);

/** An issuer on this machine over plain HTTP (a development or test provider) may be used without TLS. */
const loopbackHttp = (issuer: URL) => issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);

/**
 * OpenID Connect single sign-on (authorization code + PKCE, state and nonce) through openid-client. The flow's secrets
 * travel in a short-lived cookie signed with the engine secret; the provider must vouch for a verified email in an
 * allowed domain; AccountService.signInVerified decides who that is (an account, or a pending invitation).
 */
export class OidcLogin {
  private discovered: Promise<Oidc.Configuration> | null = null;

  constructor(
    readonly settings: OidcSettings,
    private readonly secret: SecretRef,
    private readonly clock: Clock,
  ) {}

  private configuration(): Promise<Oidc.Configuration> {
    const client = openidClient();
    const issuer = new URL(this.settings.issuer);
    this.discovered ??= client
      .discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, loopbackHttp(issuer) ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        this.discovered = null;
        throw error;
      });
    return this.discovered;
  }

  /** The provider's authorization URL and the signed cookie value that remembers this flow. */
  async start(redirectUri: string): Promise<{ url: string; cookie: string }> {
    const config = await this.configuration();
    const client = openidClient();
    const flow: Flow = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
      redirectUri,
      expires: this.clock.now().getTime() + OIDC_FLOW_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, cookie: this.sign(flow) };
  }

  /** Exchanges the callback's code; answers the verified, allowed email (lower-cased) or throws 403. */
  async finish(callbackUrl: URL, cookie: string | undefined): Promise<{ email: string; name: string | null }> {
    const flow = cookie ? this.verify(cookie) : null;
    if (!flow) throw refused('The sign-in expired or was started in another browser: start again.');
    const config = await this.configuration();
    const client = openidClient();
    let tokens: Oidc.TokenEndpointResponse & Oidc.TokenEndpointResponseHelpers;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch {
      throw refused('The identity provider did not confirm the sign-in.');
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw refused('The identity provider answered no ID token.');
    const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    const email = typeof info.email === 'string' ? info.email.toLowerCase() : typeof idClaims.email === 'string' ? idClaims.email.toLowerCase() : null;
    const verified = info.email_verified ?? idClaims.email_verified;
    if (!email || verified !== true) throw refused('The identity provider did not vouch for a verified email address.');
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (this.settings.allowedDomains.length > 0 && !this.settings.allowedDomains.includes(domain)) {
      throw refused(`Email addresses at ${domain} may not sign in here.`);
    }
    return { email, name: typeof info.name === 'string' ? info.name : null };
  }

  private sign(flow: Flow): string {
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${payload}.${hmacBase64Url(this.secret.value, `oidc:${payload}`)}`;
  }

  private verify(cookie: string): Flow | null {
    const [payload, mac] = cookie.split('.');
    if (!payload || !mac || !constantTimeEqual(mac, hmacBase64Url(this.secret.value, `oidc:${payload}`))) return null;
    try {
      const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
      return flow.expires > this.clock.now().getTime() ? flow : null;
    } catch {
      return null;
    }
  }
}
