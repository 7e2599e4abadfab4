import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_LIFETIME_S = 3599;
const NOT_SHORT_LIVED = 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

/** A service account's JSON key as the Google Cloud and Firebase consoles hand it out. */
export interface GoogleServiceAccountJson {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
}

export interface GoogleTokenEndpointOptions {
  /** Where the fake serves the endpoint: assertions must name it as their audience, and the service account points there. */
  tokenUri: string;
  /** The scope an assertion must ask for (among others) to get a token. */
  scope: string;
  projectId: string;
  /** The generated service account's client_email. */
  clientEmail: string;
  /** Service accounts of the client's own (client_email → public key) accepted besides the generated one. */
  accounts?: Record<string, KeyObject | string>;
  /** Milliseconds since the epoch, for assertions and access tokens; default Date.now. */
  now?: () => number;
}

/** The token endpoint's answer; the fake serving it writes it as JSON. */
export interface GoogleTokenAnswer {
  status: number;
  body: object;
}

/**
 * Google's OAuth2 token endpoint (oauth2.googleapis.com/token) for the JWT
 * bearer grant, with its error answers, for fakes of Google APIs to serve on
 * their own port: it checks the RS256 assertion against the service account's
 * public key, its grant type, audience, lifetime and scope, and issues access
 * tokens that the fake's API then accepts through `accepts`.
 */
export class GoogleTokenEndpoint {
  /** Token requests answered (both outcomes). */
  requests = 0;
  private readonly now: () => number;
  private readonly accounts = new Map<string, KeyObject>();
  /** Access token → when it expires (ms). */
  private readonly issued = new Map<string, number>();
  private readonly privateKey: KeyObject;
  private readonly privateKeyId = randomBytes(20).toString('hex');

  constructor(private readonly options: GoogleTokenEndpointOptions) {
    this.now = options.now ?? Date.now;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.accounts.set(options.clientEmail, publicKey);
    for (const [email, key] of Object.entries(options.accounts ?? {})) this.accounts.set(email, typeof key === 'string' ? createPublicKey(key) : key);
  }

  /** A service account a client can use as is: its key is known to this endpoint and its token_uri points here. */
  serviceAccount(): GoogleServiceAccountJson {
    return {
      type: 'service_account',
      project_id: this.options.projectId,
      private_key_id: this.privateKeyId,
      private_key: this.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      client_email: this.options.clientEmail,
      client_id: '100000000000000000001',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: this.options.tokenUri,
    };
  }

  /** The answer to a POST of this form body (application/x-www-form-urlencoded). */
  async answer(body: string): Promise<GoogleTokenAnswer> {
    this.requests++;
    const form = new URLSearchParams(body);
    const refuse = (error: string, description: string): GoogleTokenAnswer => ({ status: 400, body: { error, error_description: description } });
    if (form.get('grant_type') !== JWT_BEARER_GRANT) return refuse('unsupported_grant_type', 'Invalid grant_type: ' + (form.get('grant_type') ?? ''));
    const assertion = form.get('assertion') ?? '';
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(assertion).iss;
    } catch {
      return refuse('invalid_grant', 'Invalid JWT: not a JWT');
    }
    const key = issuer ? this.accounts.get(issuer) : undefined;
    if (!key) return refuse('invalid_grant', 'Invalid grant: account not found');
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(assertion, key, {
        algorithms: ['RS256'],
        audience: this.options.tokenUri,
        currentDate: new Date(this.now()),
        requiredClaims: ['iat', 'exp'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWSSignatureVerificationFailed) return refuse('invalid_grant', 'Invalid JWT Signature.');
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') return refuse('invalid_grant', 'Invalid JWT: Failed audience check.');
      if (error instanceof joseErrors.JWTExpired || error instanceof joseErrors.JWTClaimValidationFailed) return refuse('invalid_grant', NOT_SHORT_LIVED);
      return refuse('invalid_grant', `Invalid JWT: ${(error as Error).message}`);
    }
    if ((claims.exp as number) - (claims.iat as number) > 3600 || (claims.iat as number) * 1000 > this.now() + 60_000) return refuse('invalid_grant', NOT_SHORT_LIVED);
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (!scopes.includes(this.options.scope)) return refuse('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const accessToken = `ya29.fake-${randomBytes(24).toString('base64url')}`;
    this.issued.set(accessToken, this.now() + ACCESS_TOKEN_LIFETIME_S * 1000);
    return { status: 200, body: { access_token: accessToken, expires_in: ACCESS_TOKEN_LIFETIME_S, token_type: 'Bearer' } };
  }

  /** Whether this endpoint issued the access token, and it has neither expired nor been revoked. */
  accepts(accessToken: string): boolean {
    const expiresAt = this.issued.get(accessToken);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /** Access tokens issued so far stop working. */
  revokeAll(): void {
    this.issued.clear();
  }
}
