// Who is signed in to the console (SPEC §11), as every page and action sees them.

export type ConsoleRole = 'viewer' | 'maker' | 'approver' | 'admin';

export interface ConsoleUser {
  /** `usr_…` */
  id: string;
  email: string;
  role: ConsoleRole;
  /** The API clients (`cli_…`) whose objects this user may see and act on. */
  clientIds: string[];
}

/** What each role may do; every role includes the ones before it. */
export type ConsoleAction = 'read' | 'create' | 'approve' | 'admin';

const RANK: Record<ConsoleRole, number> = { viewer: 0, maker: 1, approver: 2, admin: 3 };
const NEEDS: Record<ConsoleAction, number> = { read: 0, create: 1, approve: 2, admin: 3 };

export function can(user: Pick<ConsoleUser, 'role'>, action: ConsoleAction): boolean {
  return RANK[user.role] >= NEEDS[action];
}
