import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CompleteRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { completePromptArgument } from "../prompts/serve.js";
import {
  checkedSubscriptions,
  completeResourceVariable,
  listResources,
  listResourceTemplates,
  readResource,
} from "../resources/serve.js";
import type { Principal } from "./principal.js";
import { answeredForSdk, type RpcError, rpcErrorOf } from "./rpc-error.js";

// MCP 2025-11-25 §Resources, Error Handling: "Resource not found: -32002". (2026-07-28 uses -32602.)
const RESOURCE_NOT_FOUND_2025 = -32_002;

/**
 * `resources/list`, `resources/templates/list`, `resources/read`, `resources/subscribe`,
 * `resources/unsubscribe` and `completion/complete` (of template variables and prompt arguments) on an SDK v1 server
 * (the 2025 eras). Returns the function that ends the
 * session's subscriptions.
 */
export function serveResources(server: Server, ctx: AppContext, principal: Principal): () => void {
  const subscribed = new Map<string, () => void>();
  server.setRequestHandler(SubscribeRequestSchema, (request) =>
    answered(
      (async () => {
        const { uri } = request.params;
        if (subscribed.has(uri)) return {};
        checkedSubscriptions([...subscribed.keys(), uri]);
        const updated = () => {
          server.sendResourceUpdated({ uri }).catch(() => {});
        };
        subscribed.set(uri, ctx.resourceUpdates.watch(uri, updated));
        return {};
      })(),
    ),
  );
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.get(request.params.uri)?.();
    subscribed.delete(request.params.uri);
    return {};
  });
  server.setRequestHandler(ListResourcesRequestSchema, (request, { signal }) =>
    answered(listResources(ctx, { principal, signal }, request.params?.cursor)),
  );
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () =>
    answered(listResourceTemplates(ctx, { principal })),
  );
  server.setRequestHandler(ReadResourceRequestSchema, (request, { signal }) =>
    answered(readResource(ctx, { principal, signal }, request.params.uri)),
  );
  server.setRequestHandler(CompleteRequestSchema, ({ params: { ref, argument } }, { signal }) =>
    answered(
      ref.type === "ref/resource"
        ? completeResourceVariable(ctx, { principal, signal }, ref.uri, argument.name, argument.value)
        : completePromptArgument(ctx, principal, ref.name, argument.name, argument.value),
    ),
  );
  return () => {
    for (const stop of subscribed.values()) stop();
    subscribed.clear();
  };
}

/** The 2025 eras' not-found code for a resource; every other error maps as everywhere. */
function resourceRpcErrorOf(error: unknown): RpcError {
  const rpc = rpcErrorOf(error);
  return error instanceof AppError && error.code === "NOT_FOUND"
    ? { ...rpc, code: RESOURCE_NOT_FOUND_2025 }
    : rpc;
}

const answered = <T>(result: Promise<T>) => answeredForSdk(result, resourceRpcErrorOf);
