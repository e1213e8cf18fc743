import {
  anonymousPrincipal,
  type KeyRefusal,
  type KeyVerifier,
  keyPrincipal,
  type Logger,
  type McpAuthMode,
} from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";
import { RpcCode, rpcError } from "./json-rpc.js";
import { isLocalCaller } from "./local-caller.js";
import type { McpEnv } from "./read-body.js";

export interface BearerAuthOptions {
  /** The context's key verifier (`ctx.keys`). */
  keys: Pick<KeyVerifier, "verify">;
  /** MCP_AUTH: who may call without a key (see `McpAuthMode`). */
  mode: McpAuthMode;
}

const REALM = 'Bearer realm="mcp-tools"';

const refusals: Record<Exclude<KeyRefusal, "missing">, string> = {
  invalid: "The API key is not valid",
  expired: "The API key has expired",
  revoked: "The API key has been revoked",
};

/**
 * Puts the caller's principal on the request: its API key's, or the anonymous principal where the
 * mode lets it go without one. A key that is sent is always checked (its lookup cached; a
 * revocation reaches every process), so its scope applies even where no key is needed.
 * RFC 6750 §3: 401 with WWW-Authenticate; `invalid_token` only when a token was actually sent.
 */
export function bearerAuth({ keys, mode }: BearerAuthOptions): MiddlewareHandler<McpEnv> {
  return async function bearerAuth(c, next) {
    if (mode === "off") {
      c.set("principal", anonymousPrincipal);
      return next();
    }
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined && mode === "local" && isLocalCaller(c)) {
      c.set("principal", anonymousPrincipal);
      return next();
    }
    const result = await keys.verify(token);
    if (result.ok) {
      c.set("principal", keyPrincipal(result.key));
      return next();
    }
    if (result.reason === "missing") {
      const why =
        mode === "local"
          ? " (only a client on this machine, connecting directly rather than through a proxy, may call without one)"
          : "";
      return rpcError(401, RpcCode.serverError, `Unauthorized: send Authorization: Bearer <API key>${why}`, {
        "www-authenticate": REALM,
      });
    }
    const description = refusals[result.reason];
    return rpcError(401, RpcCode.serverError, `Unauthorized: ${description}`, {
      "www-authenticate": `${REALM}, error="invalid_token", error_description="${description}"`,
    });
  };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Says plainly at start-up who may call tools without a key; `off` is a warning. */
export function logAuthMode(log: Pick<Logger, "info" | "warn">, mode: McpAuthMode, url: string): void {
  if (mode === "required") {
    log.info({ mcpAuth: mode }, "MCP auth: every request to /mcp, /sse and /messages needs an API key");
  } else if (mode === "local") {
    log.info(
      { mcpAuth: mode },
      "MCP auth: clients on this machine connecting directly may call without an API key; anyone else, " +
        "and anything through a proxy, needs one (MCP_AUTH=required to require keys from everyone)",
    );
  } else {
    log.warn(
      { mcpAuth: mode },
      `MCP auth is OFF: anyone who can reach ${url} may call every tool without an API key`,
    );
  }
}
