import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AbstractHttpAdapter } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { AbstractLoader, type AdminModuleOptions } from '@adminjs/nestjs';
import { buildAuthenticatedRouter } from '@adminjs/fastify';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import { fastifyRequestContext } from '@fastify/request-context';
import type AdminJS from 'adminjs';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import { DomainException } from '@app/bootstrap';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { AdminAuthService, type SessionAdmin } from '../auth/admin-auth.service.js';
import { isAllowed } from '../auth/admin-role.policy.js';
import { OPS_QUEUES } from '../ops/ops.module.js';
import { registerOpsBoard } from '../ops/ops-board.js';
import { createAdminSessionStore } from './admin-session.store.js';
import { serveOfflineHtml } from './offline-html.js';

declare module 'fastify' {
  interface Session {
    adminUser?: SessionAdmin;
  }
}

const SESSION_COOKIE = 'faceoff_admin';
/** axios (inside AdminJS's frontend) copies this cookie into X-XSRF-TOKEN on same-origin calls. */
const XSRF_COOKIE = 'XSRF-TOKEN';
const XSRF_HEADER = 'x-xsrf-token';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The ops board (bull-board) under the admin root; its UI sends no CSRF token. */
const OPS_PATH = '/ops';

/**
 * Mounts AdminJS on Nest's Fastify instance. @adminjs/nestjs ships no Fastify
 * loader; this one builds @adminjs/fastify's authenticated router inside a
 * plugin scope so that its cookie, session and multipart plugins stay out of
 * the rest of the app, and adds what that router lacks: sessions in
 * PostgreSQL, CSRF tokens, login throttling, re-checking the signed-in user
 * on every request, and JSON errors without stack traces.
 */
@Injectable()
export class FastifyAdminLoader extends AbstractLoader implements OnApplicationShutdown {
  private readonly logger = new Logger('AdminPanel');
  private readonly sessionStore;

  constructor(
    private readonly auth: AdminAuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OPS_QUEUES) private readonly opsQueues: Queue[],
    @InjectDataSource() dataSource: DataSource,
  ) {
    super();
    this.sessionStore = createAdminSessionStore(dataSource);
  }

  async register(admin: AdminJS, httpAdapter: AbstractHttpAdapter): Promise<void> {
    const app = httpAdapter.getInstance<FastifyInstance>();
    const { rootPath, loginPath } = admin.options;
    await app.register(async (scope) => {
      // Nest registered its own form parser on the root; AdminJS registers another.
      scope.removeContentTypeParser('application/x-www-form-urlencoded');
      serveOfflineHtml(scope);
      refuseForbiddenActionsWith403(scope, rootPath);
      // Before any route: Fastify binds a route to the error handler in place when it is declared.
      scope.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
        if (error instanceof DomainException) {
          void reply
            .code(error.status)
            .headers(error.headers ?? {})
            .send({ statusCode: error.status, code: error.code, message: error.message, details: error.details });
          return;
        }
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
        if (status >= 500) this.logger.error({ err: error, url: request.url }, 'admin request failed');
        const code = status === 403 && error.code?.startsWith('FST_CSRF') ? 'csrf_token_invalid' : status === 403 ? 'forbidden' : (error.code ?? 'error');
        void reply.code(status).send({
          statusCode: status,
          code: code.toLowerCase(),
          message: status >= 500 ? 'Internal server error' : error.message,
        });
      });
      // The audit trail learns from this who is acting (audit/audit-actor.ts).
      await scope.register(fastifyRequestContext);
      await scope.register(fastifyRateLimit, {
        max: this.config.ADMIN_LOGIN_ATTEMPTS_PER_MINUTE,
        timeWindow: 60_000,
        allowList: (request) => !(request.method === 'POST' && request.url.split('?')[0] === loginPath),
        errorResponseBuilder: (_request, context) => ({
          statusCode: 429,
          code: 'too_many_login_attempts',
          message: `Too many login attempts from this address; try again in ${Math.ceil(context.ttl / 1000)} s.`,
        }),
      });
      await buildAuthenticatedRouter(
        admin,
        {
          authenticate: async (email: string, password: string, context?: { request: FastifyRequest }) => {
            const signedIn = await this.auth.authenticate(email, password, context?.request.ip ?? 'unknown');
            // A new session id at sign-in: a session id planted before it is worth nothing after.
            if (signedIn) await context?.request.session.regenerate();
            return signedIn;
          },
          cookieName: SESSION_COOKIE,
          cookiePassword: this.sessionSecret(),
        },
        scope,
        {
          secret: this.sessionSecret(),
          cookieName: SESSION_COOKIE,
          store: this.sessionStore,
          saveUninitialized: false,
          cookie: {
            path: '/',
            httpOnly: true,
            sameSite: 'lax',
            secure: 'auto',
            maxAge: this.config.ADMIN_SESSION_TTL_HOURS * 3_600_000,
          },
        },
      );
      await scope.register(fastifyCsrf, {
        sessionPlugin: '@fastify/session',
        getToken: (request) => request.headers[XSRF_HEADER] as string | undefined,
      });
      scope.addHook('preHandler', async (request, reply) => {
        if (!request.url.startsWith(rootPath)) return;
        const sessionAdmin = request.session.get('adminUser') as SessionAdmin | undefined;
        if (!sessionAdmin) {
          // The login form: no token (there is no session yet), but SameSite=Lax and a same-origin check.
          if (request.method === 'POST' && request.url.split('?')[0] === loginPath && !isSameOrigin(request)) {
            return reply.code(403).send({ statusCode: 403, code: 'cross_origin_login', message: 'Cross-origin login refused.' });
          }
          return;
        }
        const current = await this.auth.currentSessionAdmin(sessionAdmin.id);
        if (!current) {
          await request.session.destroy();
          return refuse(reply, request, 401, 'session_ended', 'Your account is disabled; sign in again.', loginPath);
        }
        if (current.role !== sessionAdmin.role || current.title !== sessionAdmin.title) request.session.set('adminUser', current);
        request.requestContext.set('adminUserId', current.id);
        if (request.url.startsWith(`${rootPath}${OPS_PATH}`)) {
          // No token from bull-board's UI: SameSite=Lax keeps cross-site requests cookieless, and the origin must match.
          if (UNSAFE_METHODS.has(request.method) && !isSameOrigin(request)) {
            return reply.code(403).send({ statusCode: 403, code: 'cross_origin_request', message: 'Cross-origin request refused.' });
          }
        } else if (UNSAFE_METHODS.has(request.method) && !request.url.startsWith(admin.options.logoutPath)) {
          await new Promise<void>((resolve, reject) =>
            scope.csrfProtection(request, reply, (error?: Error) => (error ? reject(error) : resolve())),
          );
        } else if (request.method === 'GET' && (request.headers.accept?.includes('text/html') || !request.cookies[XSRF_COOKIE])) {
          // Fresh with every page load: a token left from an earlier session would not verify against this one's secret.
          reply.setCookie(XSRF_COOKIE, reply.generateCsrf(), { path: '/', sameSite: 'strict', secure: 'auto', httpOnly: false });
        }
      });
      await registerOpsBoard(scope, {
        basePath: `${rootPath}${OPS_PATH}`,
        queues: this.opsQueues,
        preHandler: async (request, reply) => {
          if (!isAllowed(request.session.get('adminUser')?.role, 'private', 'write')) {
            return reply.code(403).send({ statusCode: 403, code: 'forbidden', message: 'The ops page is for admins.' });
          }
        },
      });
    });
    this.logger.log(`AdminJS mounted at ${rootPath}, queues at ${rootPath}${OPS_PATH}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sessionStore.close();
  }

  private secret?: string;

  private sessionSecret(): string {
    if (this.config.ADMIN_SESSION_SECRET) return this.config.ADMIN_SESSION_SECRET;
    if (this.config.NODE_ENV === 'production') throw new Error('ADMIN_SESSION_SECRET is required when NODE_ENV=production');
    if (!this.secret) {
      this.secret = randomBytes(32).toString('hex');
      this.logger.warn('ADMIN_SESSION_SECRET is not set: using a random one, so CMS sessions end when the admin restarts');
    }
    return this.secret;
  }
}

function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return origin === undefined;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function refuse(reply: FastifyReply, request: FastifyRequest, status: number, code: string, message: string, loginPath: string) {
  if (request.method === 'GET' && request.headers.accept?.includes('text/html')) return reply.redirect(loginPath);
  return reply.code(status).send({ statusCode: status, code, message });
}

/**
 * AdminJS answers an action the role may not run with 200 and a
 * "forbiddenError" notice (its frontend shows the notice). Nothing is written
 * either way; this makes a refused write a 403 too, for API clients and logs.
 * Page loads (GET) keep AdminJS's answer, which its frontend expects.
 */
function refuseForbiddenActionsWith403(scope: FastifyInstance, rootPath: string): void {
  scope.addHook('onSend', async (request, reply, payload) => {
    if (
      request.method !== 'GET' &&
      request.url.startsWith(`${rootPath}/api/`) &&
      reply.statusCode === 200 &&
      typeof payload === 'string' &&
      payload.includes('"forbiddenError"')
    ) {
      reply.code(403);
    }
    return payload;
  });
}

