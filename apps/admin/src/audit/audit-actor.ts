import { requestContext } from '@fastify/request-context';

declare module '@fastify/request-context' {
  interface RequestContextData {
    /** The signed-in CMS user whose request this is (set once the session is checked). */
    adminUserId: string;
  }
}

/** Who is acting in the current admin request; undefined outside one (imports, logins, the system). */
export function currentActor(): string | undefined {
  return requestContext.get('adminUserId');
}
