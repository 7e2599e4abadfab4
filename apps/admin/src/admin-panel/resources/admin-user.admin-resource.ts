import { ValidationError, type ActionContext, type ActionRequest, type ResourceWithOptions } from 'adminjs';
import { AdminUser } from '@app/db';
import { hashPassword } from '../../auth/password-hasher.js';
import { adminResource, type AdminActionServices } from './admin-resource.js';

const MIN_PASSWORD_LENGTH = 12;

/**
 * A typed password becomes an argon2 hash before the adapter sees it; the
 * hash itself is never shown or editable. On edit, an empty password keeps
 * the current one.
 */
async function hashTypedPassword(request: ActionRequest, context: ActionContext): Promise<ActionRequest> {
  if (request.method !== 'post' || !request.payload) return request;
  const { password, ...payload } = request.payload as Record<string, unknown>;
  if (typeof payload.email === 'string') payload.email = payload.email.trim().toLowerCase();
  const creating = context.action.name === 'new';
  if (typeof password === 'string' && password.length > 0) {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new ValidationError({ password: { message: `At least ${MIN_PASSWORD_LENGTH} characters` } });
    }
    payload.passwordHash = await hashPassword(password);
  } else if (creating) {
    throw new ValidationError({ password: { message: 'A password is required' } });
  }
  return { ...request, payload };
}

export function adminUserResource(navigation: { name: string; icon: string }, services: AdminActionServices): ResourceWithOptions {
  return adminResource({
    resource: AdminUser,
    group: 'private',
    navigation,
    titleProperty: 'email',
    listProperties: ['email', 'displayName', 'role', 'disabled', 'lockedUntil', 'lastLoginAt'],
    filterProperties: ['email', 'role', 'disabled'],
    showProperties: ['email', 'displayName', 'role', 'disabled', 'failedLogins', 'lockedUntil', 'lastLoginAt', 'createdAt'],
    editProperties: ['email', 'displayName', 'role', 'disabled', 'password'],
    properties: {
      passwordHash: { isVisible: false },
      password: { type: 'password', isVisible: { list: false, filter: false, show: false, edit: true } },
      role: { availableValues: ['admin', 'editor', 'viewer'].map((role) => ({ value: role, label: role })) },
    },
    actions: {
      new: { before: hashTypedPassword },
      edit: { before: hashTypedPassword },
      unlock: {
        actionType: 'record',
        icon: 'Unlock',
        component: false,
        isVisible: (context: ActionContext) => Boolean(context.record?.params.lockedUntil),
        handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
          const record = context.record!;
          await record.update({ failedLogins: 0, lockedUntil: null }, context);
          return {
            record: record.toJSON(context.currentAdmin),
            notice: { message: 'Account unlocked', type: 'success' },
          };
        },
      },
    },
  }, services);
}
