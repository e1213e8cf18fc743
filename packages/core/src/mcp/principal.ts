import type { ApiKey } from "../keys/row.js";
import { allToolsScope, type KeyScope } from "../keys/scope.js";

/** Who is calling: the local user on stdio, an anonymous or keyed client over HTTP. */
export interface Principal {
  /** Stable identifier recorded in the audit log. */
  id: string;
  kind: "local" | "anonymous" | "key" | "user";
  /** Which tools it may see and call. */
  scope: KeyScope;
  /** Calls per minute across every process; undefined for no limit. */
  rateLimitPerMinute?: number | undefined;
  /** Tool name → the version this caller keeps seeing and calling, whatever is approved since. */
  pins?: Readonly<Record<string, string>> | undefined;
  /** The API key behind a `key` principal. */
  key?: { id: string; prefix: string } | undefined;
}

/** Where a call came from, for audit and metrics. */
// "admin": a signed-in person trying a tool from the admin pages.
export type TransportName = "stdio" | "streamable-http" | "sse" | "in-memory" | "admin";

export const localPrincipal: Principal = { id: "local", kind: "local", scope: allToolsScope };
export const anonymousPrincipal: Principal = { id: "anonymous", kind: "anonymous", scope: allToolsScope };

/** The principal of a verified API key; its audit id names the key by its visible prefix. */
export function keyPrincipal(key: ApiKey): Principal {
  return {
    id: `key:${key.prefix}`,
    kind: "key",
    scope: key.scope,
    rateLimitPerMinute: key.rateLimitPerMinute ?? undefined,
    ...(Object.keys(key.pinnedVersions).length > 0 && { pins: key.pinnedVersions }),
    key: { id: key.id, prefix: key.prefix },
  };
}
