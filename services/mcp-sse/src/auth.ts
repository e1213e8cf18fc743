import { anonymousPrincipal, type KeyRefusal, type KeyVerifier, keyPrincipal } from "@mcp-tools/core";
import type { MiddlewareHandler } from "hono";
import { RpcCode, rpcError } from "./json-rpc.js";
import type { McpEnv } from "./read-body.js";

export interface BearerAuthOptions {
  /** The context's key verifier (`ctx.keys`). */
  keys: Pick<KeyVerifier, "verify">;
  /** MCP_AUTH=required; otherwise every request runs as the anonymous principal. */
  required: boolean;
}

const REALM = 'Bearer realm="mcp-tools"';

const refusals: Record<Exclude<KeyRefusal, "missing">, string> = {
  invalid: "The API key is not valid",
  expired: "The API key has expired",
  revoked: "The API key has been revoked",
};

/**
 * Puts the caller's principal on the request: the API key's when auth is required, else anonymous.
 * The key is checked on every request (its lookup cached; a revocation reaches every process).
 * RFC 6750 §3: 401 with WWW-Authenticate; `invalid_token` only when a token was actually sent.
 */
export function bearerAuth({ keys, required }: BearerAuthOptions): MiddlewareHandler<McpEnv> {
  return async function bearerAuth(c, next) {
    if (!required) {
      c.set("principal", anonymousPrincipal);
      return next();
    }
    const token = bearerToken(c.req.header("authorization"));
    const result = await keys.verify(token);
    if (result.ok) {
      c.set("principal", keyPrincipal(result.key));
      return next();
    }
    if (result.reason === "missing") {
      return rpcError(401, RpcCode.serverError, "Unauthorized: send Authorization: Bearer <API key>", {
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
