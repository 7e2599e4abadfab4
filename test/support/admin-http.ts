/**
 * A CMS session over plain fetch: a cookie jar by hand, the login form, and
 * the CSRF header AdminJS's axios would send (X-XSRF-TOKEN = the XSRF-TOKEN
 * cookie the admin sets on a signed-in GET).
 */
export interface AdminRequest {
  method?: string;
  headers?: Record<string, string>;
  /** A plain object is sent as JSON; FormData and strings as they are. */
  body?: unknown;
  /** Send X-XSRF-TOKEN from the jar (default: yes, on unsafe methods). */
  xsrf?: boolean;
}

export interface AdminResponse<T = unknown> {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: T;
}

export class AdminHttpSession {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get xsrfToken(): string | undefined {
    return this.cookies.get('XSRF-TOKEN');
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async request<T = unknown>(path: string, { method = 'GET', headers = {}, body, xsrf }: AdminRequest = {}): Promise<AdminResponse<T>> {
    const unsafe = !['GET', 'HEAD'].includes(method.toUpperCase());
    const sent: Record<string, string> = { ...headers };
    if (this.cookies.size) sent.Cookie = this.cookieHeader();
    // What a browser on the CMS's own pages sends with a POST.
    if (unsafe) sent.Origin ??= this.baseUrl;
    if (unsafe && (xsrf ?? true) && this.xsrfToken) sent['X-XSRF-TOKEN'] = this.xsrfToken;
    let payload: RequestInit['body'];
    if (body instanceof FormData || body instanceof URLSearchParams || typeof body === 'string') {
      payload = body;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      sent['Content-Type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers: sent, body: payload, redirect: 'manual' });
    this.store(response);
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json: json as T };
  }

  /** Posts the login form; a 302 to the CMS means signed in. */
  login(email: string, password: string): Promise<AdminResponse> {
    return this.request('/admin/login', { method: 'POST', body: new URLSearchParams({ email, password }) });
  }

  private store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const expired = attributes.some((attribute) => {
        const [key, setting = ''] = attribute.split('=');
        return (key.toLowerCase() === 'max-age' && Number(setting) <= 0) || (key.toLowerCase() === 'expires' && Date.parse(setting) < Date.now());
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** Signs in through the login form and opens a page, so that the session has its XSRF token. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<AdminHttpSession> {
  const session = new AdminHttpSession(baseUrl);
  const login = await session.login(email, password);
  if (login.status !== 302 || login.headers.get('location') !== '/admin') {
    throw new Error(`login of ${email} failed: ${login.status} ${login.headers.get('location') ?? login.text.slice(0, 200)}`);
  }
  await session.request('/admin', { headers: { Accept: 'text/html' } });
  if (!session.xsrfToken) throw new Error(`no XSRF-TOKEN cookie after signing in as ${email}`);
  return session;
}
