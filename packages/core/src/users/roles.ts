import { z } from "zod";
import { storable } from "../text/well-formed.js";

/** admin: everything; operator: tools, keys, sessions and notes; viewer: read-only. */
export const Role = z.enum(["admin", "operator", "viewer"]);
export type Role = z.infer<typeof Role>;

/** A user as everyone outside this module sees it: never a hash. */
export interface UserView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  /** True while the one-time setup link has not been used. */
  setupPending: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
}

export interface UserRow {
  id: string;
  username: string;
  role: Role;
  passwordHash: string | null;
  setupTokenHash: string | null;
  lockedUntil: Date | null;
  createdAt: Date;
  disabledAt: Date | null;
}

export const toUserView = (row: UserRow): UserView => ({
  id: row.id,
  username: row.username,
  role: row.role,
  disabled: row.disabledAt !== null,
  setupPending: row.passwordHash === null,
  lockedUntil: row.lockedUntil,
  createdAt: row.createdAt,
});

/** Who made an admin change, as written to `admin_audit.actor`. */
export type Actor = string;

/** Rules a new password must meet; shared by the API, the pages and the production config check. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
export const Password = storable(
  z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(MAX_PASSWORD_LENGTH),
);

export const MAX_USERNAME_LENGTH = 64;
/** Any printable text without control characters: names are shown escaped wherever they appear. */
export const Username = storable(
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(MAX_USERNAME_LENGTH)
    .regex(/^[^\p{Cc}]+$/u, "must not contain control characters"),
);
