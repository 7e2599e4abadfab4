import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import type { AdminRole, AdminUser } from '@app/db';
import { AuditLogService } from '../audit/audit-log.service.js';
import { AdminUserRepository } from './admin-user.repository.js';
import { UNKNOWN_USER_HASH, verifyPassword } from './password-hasher.js';

/** What the session holds about the signed-in user (AdminJS's CurrentAdmin). */
export interface SessionAdmin {
  id: string;
  email: string;
  title: string;
  role: AdminRole;
}

@Injectable()
export class AdminAuthService {
  private readonly logger = new Logger(AdminAuthService.name);

  constructor(
    private readonly users: AdminUserRepository,
    private readonly audit: AuditLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Checks a login. Unknown email, wrong password, a disabled or locked
   * account all give the same answer (null), so the form reveals nothing;
   * the audit log and the logs say which it was.
   */
  async authenticate(email: string, password: string, address: string): Promise<SessionAdmin | null> {
    const user = typeof email === 'string' ? await this.users.findByEmail(email.trim()) : null;
    const passwordOk = await verifyPassword(user?.passwordHash ?? UNKNOWN_USER_HASH, typeof password === 'string' ? password : '');
    const refusal = this.refusal(user, passwordOk);
    if (!refusal) {
      await this.users.recordSuccess(user!.id);
      await this.audit.record({ adminUserId: user!.id, action: 'login', resource: 'session', changes: { address } });
      return toSessionAdmin(user!);
    }
    let locked = refusal === 'locked';
    if (user && refusal === 'wrong_password') {
      ({ locked } = await this.users.recordFailure(user.id, this.config.ADMIN_LOGIN_MAX_FAILURES, this.config.ADMIN_LOCKOUT_MINUTES));
    }
    await this.audit.record({
      adminUserId: user?.id ?? null,
      action: 'login_failed',
      resource: 'session',
      changes: { address, reason: refusal, ...(user ? {} : { email: String(email).slice(0, 200) }), ...(locked ? { locked } : {}) },
    });
    this.logger.warn({ address, reason: refusal, locked }, 'CMS login refused');
    return null;
  }

  /** The session's user as the database has it now: a disabled account or a changed role takes effect at once. */
  async currentSessionAdmin(id: string): Promise<SessionAdmin | null> {
    const user = await this.users.findById(id);
    return user && !user.disabled ? toSessionAdmin(user) : null;
  }

  private refusal(user: AdminUser | null, passwordOk: boolean): 'unknown_email' | 'disabled' | 'locked' | 'wrong_password' | null {
    if (!user) return 'unknown_email';
    if (user.disabled) return 'disabled';
    if (user.lockedUntil && user.lockedUntil > new Date()) return 'locked';
    return passwordOk ? null : 'wrong_password';
  }
}

function toSessionAdmin(user: AdminUser): SessionAdmin {
  return { id: user.id, email: user.email, title: user.displayName, role: user.role };
}
