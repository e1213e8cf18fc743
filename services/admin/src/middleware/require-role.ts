import { AppError, type Role } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";
import type { AdminEnv } from "../env.js";

/** 403 unless the signed-in person has one of `roles`. Runs after `requireSession`. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AdminEnv> {
  const allowed = new Set(roles);
  return async function requireRole(c, next) {
    const { role } = c.get("session").user;
    if (!allowed.has(role))
      throw new AppError("FORBIDDEN", `Forbidden: this needs the ${roles.join(" or ")} role`);
    return next();
  };
}

export interface ReadOnlyRolesOptions {
  /** Roles that may only read. */
  roles?: Role[];
  /** State-changing paths those roles may still use (signing out, changing their own password). */
  except?: readonly string[];
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** Refuses (403) every state-changing request from a read-only role, whatever route it reaches. */
export function readOnlyRoles({
  roles = ["viewer"],
  except = ["/logout", "/account/password", "/api/me/password"],
}: ReadOnlyRolesOptions = {}): MiddlewareHandler<AdminEnv> {
  const readOnly = new Set(roles);
  const exempt = new Set(except);
  return async function readOnlyRoles(c, next) {
    if (safeMethods.has(c.req.method) || exempt.has(c.req.path)) return next();
    const session = c.get("session");
    if (session && readOnly.has(session.user.role)) {
      throw new AppError("FORBIDDEN", `Forbidden: the ${session.user.role} role is read-only`);
    }
    return next();
  };
}
