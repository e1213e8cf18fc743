import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import { listResources, listResourceTemplates, readResource } from "../resources/serve.js";
import type { Principal } from "./principal.js";
import { rpcErrorOf } from "./rpc-error.js";

// MCP 2025-11-25 §Resources, Error Handling: "Resource not found: -32002". (2026-07-28 uses -32602.)
const RESOURCE_NOT_FOUND_2025 = -32_002;

/** `resources/list`, `resources/templates/list` and `resources/read` on an SDK v1 server (the 2025 eras). */
export function serveResources(server: Server, ctx: AppContext, principal: Principal): void {
  server.setRequestHandler(ListResourcesRequestSchema, (request, { signal }) =>
    answered(listResources(ctx, { principal, signal }, request.params?.cursor)),
  );
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () =>
    answered(listResourceTemplates(ctx, { principal })),
  );
  server.setRequestHandler(ReadResourceRequestSchema, (request, { signal }) =>
    answered(readResource(ctx, { principal, signal }, request.params.uri)),
  );
}

async function answered<T>(result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (error) {
    const { code, message, data } = rpcErrorOf(error);
    const notFound = error instanceof AppError && error.code === "NOT_FOUND";
    throw Object.assign(new Error(message), { code: notFound ? RESOURCE_NOT_FOUND_2025 : code, data });
  }
}
