import type { z } from "zod";
import { recordAdminAction } from "../audit/admin.js";
import type { AppContext } from "../context.js";
import { users } from "../db/schema.js";
import { AppError } from "../errors.js";
import { hashPassword } from "./password.js";
import { type Actor, Password, Role, toUserView, Username, type UserView } from "./roles.js";

export interface CreateUserInput {
  username: string;
  role: Role;
  password: string;
}

/** Creates a user who can sign in at once; CONFLICT when the name is taken. Audited. */
export async function createUser(
  ctx: Pick<AppContext, "db">,
  actor: Actor,
  input: CreateUserInput,
): Promise<UserView> {
  const username = parseOrInvalid("username", Username, input.username);
  const password = parseOrInvalid("password", Password, input.password);
  const role = parseOrInvalid("role", Role, input.role);
  const passwordHash = await hashPassword(password);
  return ctx.db.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ username, role, passwordHash })
      .onConflictDoNothing({ target: users.username })
      .returning();
    if (!row) throw new AppError("CONFLICT", `A user named ${JSON.stringify(username)} already exists`);
    const user = toUserView(row);
    await recordAdminAction(tx, {
      actor,
      action: "user.created",
      targetType: "user",
      targetId: user.id,
      after: { username: user.username, role: user.role },
    });
    return user;
  });
}

/** Parses one field or throws INVALID naming it. */
export function parseOrInvalid<T>(field: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? "is invalid";
  throw new AppError("INVALID", `${field}: ${message}`, { details: { field } });
}
