import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { hashPassword } from "./password.js";
import { hashToken, randomToken } from "./tokens.js";

export interface BootstrapOptions {
  /** The port the admin service listens on, for the setup link; ADMIN_PORT by default. */
  port?: number;
  /** The clock the setup link's expiry is set by. */
  now?: () => Date;
}

export type BootstrapResult =
  | { kind: "existing" }
  | { kind: "password" }
  /** The link is returned for tests and the launcher; it is also logged at warn level. */
  | { kind: "setup-link"; url: string }
  /** Another process created the first admin at the same moment. */
  | { kind: "raced" };

/**
 * First start: with no users, creates `admin` (role admin) with ADMIN_PASSWORD, or, without one,
 * with a one-time setup token whose link is logged and works for SETUP_LINK_TTL_MS. A restart
 * while setup is still pending logs a fresh link (the old token is only in the old log). The
 * unique username keeps concurrent starts from creating two admins.
 */
export async function bootstrapAdmin(
  ctx: Pick<AppContext, "db" | "config" | "log">,
  { port = ctx.config.ADMIN_PORT, now = () => new Date() }: BootstrapOptions = {},
): Promise<BootstrapResult> {
  const { db } = ctx.db;
  const expiresAt = new Date(now().getTime() + ctx.config.SETUP_LINK_TTL_MS);
  const [existing] = await db.select({ count: sql<number>`count(*)::int` }).from(users);
  if (Number(existing?.count ?? 0) > 0) return renewPendingSetup(ctx, port, expiresAt);

  const password = ctx.config.ADMIN_PASSWORD;
  const token = password ? undefined : randomToken();
  const passwordHash = password ? await hashPassword(password) : null;
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        username: "admin",
        role: "admin",
        passwordHash,
        setupTokenHash: token ? hashToken(token) : null,
        setupTokenExpiresAt: token ? expiresAt : null,
      })
      .onConflictDoNothing({ target: users.username })
      .returning({ id: users.id });
    if (!row) return false;
    await recordAdminAction(tx, {
      actor: "system",
      action: "user.created",
      targetType: "user",
      targetId: row.id,
      after: { username: "admin", role: "admin", via: token ? "setup-link" : "ADMIN_PASSWORD" },
    });
    return true;
  });
  if (!created) return { kind: "raced" };
  if (!token) {
    ctx.log.info({ username: "admin" }, "created the first admin from ADMIN_PASSWORD");
    return { kind: "password" };
  }
  return logSetupLink(ctx, port, token, expiresAt);
}

async function renewPendingSetup(
  ctx: Pick<AppContext, "db" | "config" | "log">,
  port: number,
  expiresAt: Date,
) {
  const token = randomToken();
  const renewed = await ctx.db.db
    .update(users)
    .set({ setupTokenHash: hashToken(token), setupTokenExpiresAt: expiresAt })
    .where(and(eq(users.username, "admin"), isNull(users.passwordHash), isNotNull(users.setupTokenHash)))
    .returning({ id: users.id });
  return renewed.length > 0 ? logSetupLink(ctx, port, token, expiresAt) : ({ kind: "existing" } as const);
}

function logSetupLink(
  ctx: Pick<AppContext, "config" | "log">,
  port: number,
  token: string,
  expiresAt: Date,
): BootstrapResult {
  const url = `http://${linkHost(ctx.config.HOST)}:${port}/setup?token=${token}`;
  // The link is the secret on purpose: whoever reads this log chooses the admin password.
  ctx.log.warn(
    `no admin password yet: open ${url} to choose one (the link works once, until ${expiresAt.toISOString()}; a restart logs a fresh one)`,
  );
  return { kind: "setup-link", url };
}

// A wildcard bind address is not somewhere a browser can go.
function linkHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "[::]") return "localhost";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
