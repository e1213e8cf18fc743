import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { adminSessions, users } from "../db/schema.js";
import { getUser } from "./list.js";
import type { Actor, Role } from "./roles.js";
import { hashToken, randomToken } from "./tokens.js";

/** A signed-in person, as the admin service sees them on each request. */
export interface AdminSession {
  user: { id: string; username: string; role: Role };
  /** The token every state-changing request of this session must echo. */
  csrfToken: string;
  expiresAt: Date;
}

export interface NewSession extends AdminSession {
  /** The cookie value; only its hash is stored. */
  token: string;
}

export interface SessionClock {
  now?: () => Date;
}

type SessionContext = Pick<AppContext, "db" | "config">;

/** Starts a session for a user that lasts ADMIN_SESSION_TTL_MS. */
export async function createSession(
  ctx: SessionContext,
  user: AdminSession["user"],
  { now = () => new Date() }: SessionClock = {},
): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now().getTime() + ctx.config.ADMIN_SESSION_TTL_MS);
  // Sign-ins are rare, so each one sweeps the expired rows instead of a timer in every process.
  await ctx.db.db.delete(adminSessions).where(lt(adminSessions.expiresAt, now()));
  await ctx.db.db
    .insert(adminSessions)
    .values({ tokenHash: hashToken(token), userId: user.id, csrfToken, expiresAt });
  return { token, csrfToken, expiresAt, user };
}

/** The live session a cookie token belongs to; undefined when unknown, expired or the user is disabled. */
export async function resolveSession(
  ctx: Pick<AppContext, "db">,
  token: string,
  { now = () => new Date() }: SessionClock = {},
): Promise<AdminSession | undefined> {
  const [row] = await ctx.db.db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      csrfToken: adminSessions.csrfToken,
      expiresAt: adminSessions.expiresAt,
    })
    .from(adminSessions)
    .innerJoin(users, eq(users.id, adminSessions.userId))
    .where(
      and(
        eq(adminSessions.tokenHash, hashToken(token)),
        gt(adminSessions.expiresAt, now()),
        isNull(users.disabledAt),
      ),
    );
  if (!row) return undefined;
  const { csrfToken, expiresAt, ...user } = row;
  return { user, csrfToken, expiresAt };
}

/** Signs one session out (logout). */
export async function endSession(ctx: Pick<AppContext, "db">, token: string): Promise<void> {
  await ctx.db.db.delete(adminSessions).where(eq(adminSessions.tokenHash, hashToken(token)));
}

/** Signs a user out everywhere; returns how many sessions ended. Audited. */
export async function revokeUserSessions(
  ctx: Pick<AppContext, "db">,
  actor: Actor,
  userId: string,
): Promise<number> {
  const user = await getUser(ctx, userId);
  return ctx.db.db.transaction(async (tx) => {
    const ended = await tx
      .delete(adminSessions)
      .where(eq(adminSessions.userId, user.id))
      .returning({ tokenHash: adminSessions.tokenHash });
    await recordAdminAction(tx, {
      actor,
      action: "user.sessions_revoked",
      targetType: "user",
      targetId: user.id,
      before: { sessions: ended.length },
      after: { sessions: 0 },
    });
    return ended.length;
  });
}
