import type { AppContext } from "@mcp-tools/core";
import { decideToolVersion, proposeHttpTool } from "@mcp-tools/core/catalog";
import { ACTOR, limitTool } from "./bench-key.js";
import { UPSTREAM_TOOL } from "./upstream-app.js";

/** How the harness tells our server where the upstream listens: `--upstream-port=<port>`. */
export const UPSTREAM_PORT_FLAG = "--upstream-port";

/**
 * The HTTP tool as a person would define it in the admin: GET the upstream's /echo with the text
 * in the query, the answer's `data` member as the result (echo's shape, `{ text }`).
 */
export function upstreamToolDefinition(upstreamPort: number) {
  const text = { type: "object", properties: { text: { type: "string" } }, required: ["text"] };
  return {
    name: UPSTREAM_TOOL,
    title: "Upstream echo",
    description: "Sends the text to the bench's upstream service and returns what it answers.",
    inputSchema: { ...text, additionalProperties: false },
    outputSchema: text,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
    request: { method: "GET", url: `http://127.0.0.1:${upstreamPort}/echo?text={text}` },
    response: { pick: "/data" },
  };
}

/**
 * Gives our server the HTTP tool through the verbs the admin uses (proposed, then approved), waits
 * until the catalog serves it, and rate-limits it as echo is. The loopback upstream is reachable
 * only because the server runs with EGRESS_ALLOW naming 127.0.0.1.
 */
export async function setUpHttpTool(ctx: AppContext, upstreamPort: number): Promise<void> {
  await ctx.ready;
  const version = await proposeHttpTool(ctx, upstreamToolDefinition(upstreamPort), ACTOR);
  const served = servedSoon(ctx, UPSTREAM_TOOL);
  await decideToolVersion(ctx, version.id, "approve", ACTOR);
  await served;
  await limitTool(ctx, UPSTREAM_TOOL);
}

/** The upstream's port from the process's arguments. */
export function upstreamPortOf(argv: readonly string[]): number {
  const raw = argv
    .find((arg) => arg.startsWith(`${UPSTREAM_PORT_FLAG}=`))
    ?.slice(UPSTREAM_PORT_FLAG.length + 1);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${UPSTREAM_PORT_FLAG}=<port> is required, got ${JSON.stringify(raw)}`);
  return port;
}

/** Resolves once the registry serves `name` (the catalog reloads on the approval's announcement). */
function servedSoon(ctx: Pick<AppContext, "tools">, name: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${name} was not served within ${timeoutMs} ms of its approval`));
    }, timeoutMs);
    const off = ctx.tools.onChange(() => {
      if (!ctx.tools.get(name)) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}
