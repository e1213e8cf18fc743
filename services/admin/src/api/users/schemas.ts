import { z } from "@hono/zod-openapi";
import { Password, Role, Username } from "@mcp-tools/core";

/** POST /api/users. Strict: an unknown field is an error, not silently dropped. */
export const CreateUserBody = z
  .strictObject({ username: Username, role: Role, password: Password })
  .openapi("CreateUserBody");
export type CreateUserBody = z.infer<typeof CreateUserBody>;

/** PATCH /api/users/:id: any of the fields; `disabled: true` also ends the user's sessions. */
export const UpdateUserBody = z
  .strictObject({ role: Role.optional(), disabled: z.boolean().optional() })
  .openapi("UpdateUserBody");
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

/** A user as the API shows one: never a password hash. */
export const User = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    username: z.string(),
    role: Role,
    disabled: z.boolean(),
    setupPending: z.boolean().openapi({ description: "The one-time setup link has not been used" }),
    lockedUntil: z.string().nullable().openapi({ format: "date-time" }),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("User");

export const UserResponse = z.object({ user: User });
