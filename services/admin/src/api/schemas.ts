import { Password, Role, Username } from "@mcp-tools/core";
import { z } from "zod";

/** POST /api/users. Strict: an unknown field is an error, not silently dropped. */
export const CreateUserBody = z.strictObject({ username: Username, role: Role, password: Password });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

/** PATCH /api/users/:id: any of the fields; `disabled: true` also ends the user's sessions. */
export const UpdateUserBody = z.strictObject({ role: Role.optional(), disabled: z.boolean().optional() });
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

/** POST /api/me/password: your current password, and the new one. */
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().max(4096),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;
