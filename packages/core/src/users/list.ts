import { asc, eq } from "drizzle-orm";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { AppError } from "../errors.js";
import { toUserView, type UserView } from "./roles.js";

/** Every user, oldest first. */
export async function listUsers(ctx: Pick<AppContext, "db">): Promise<UserView[]> {
  const rows = await ctx.db.db.select().from(users).orderBy(asc(users.createdAt), asc(users.username));
  return rows.map(toUserView);
}

/** One user; NOT_FOUND when there is none with this id. */
export async function getUser(ctx: Pick<AppContext, "db">, id: string): Promise<UserView> {
  const [row] = isUuid(id) ? await ctx.db.db.select().from(users).where(eq(users.id, id)) : [];
  if (!row) throw new AppError("NOT_FOUND", `No user with id ${JSON.stringify(id)}`);
  return toUserView(row);
}

// A malformed id is simply not found, rather than a database error about uuid syntax.
export const isUuid = (id: string) =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
