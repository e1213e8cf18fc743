import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../../context.js";
import type { Db } from "../../db/client.js";
import type { AnyTool } from "../define.js";
import type { HttpToolDefinition } from "../http/definition.js";
import { describeTool, type ServedTool } from "../registry.js";
import { serializedReload } from "../serialized-reload.js";
import { TOOLS_CHANGED_CHANNEL } from "../settings/cache.js";
import { pinnedBuiltin } from "./pinned.js";
import { servedSignature, servedVersions, syncBuiltinVersions, type ToolVersion } from "./versions.js";

/** The catalog kept current in this process. */
export interface ToolCatalog {
  close(): Promise<void>;
}

type CatalogContext = Pick<AppContext, "db" | "bus" | "log" | "config" | "tools">;

/** How often the catalog reloads on its own, and what reads the versions. */
export interface ToolCatalogOptions {
  /** A reload this often regardless of messages (30 s by default). */
  refreshIntervalMs?: number;
  /** Reads every approved and superseded version whole; tests count its calls. */
  versions?: (db: Db) => Promise<ToolVersion[]>;
}

/**
 * Serves the approved version of every tool, built-in and HTTP, and follows every approval made
 * anywhere (`tools:changed` on the bus, and a reload every `refreshIntervalMs`, since pub/sub does
 * not replay what a process missed while cut off from Redis). Loaded once the database is open,
 * and only then: a stdio server answers before, with the code's built-in definitions.
 */
export async function startToolCatalog(
  ctx: CatalogContext,
  builtins: readonly AnyTool[],
  { refreshIntervalMs = 30_000, versions: readVersions = servedVersions }: ToolCatalogOptions = {},
): Promise<ToolCatalog> {
  await syncBuiltinVersions(ctx, builtins.map(describeTool), {
    preapprove: ctx.config.TOOLS_APPROVE_BUILTIN,
  });
  // HTTP tools' runtime (undici, Ajv, the egress guard) loads with the first one approved.
  let http: Promise<HttpRuntime> | undefined;
  const code = new Map(builtins.map((tool) => [tool.name, tool]));
  const builtinOrder = new Map(builtins.map((tool, index) => [tool.name, index]));
  let served: string | undefined;

  async function load() {
    // Every process does this every 30 s: one short row, and the definitions only when it moved.
    // Read first, so that a change landing between the two reads makes the next load read again.
    const signature = await servedSignature(ctx.db.db);
    if (signature === served) return;
    // Approved versions are served; superseded ones stay at hand for keys pinned to them.
    const versions = await readVersions(ctx.db.db);
    served = signature;
    if (versions.some((version) => version.kind === "http")) http ??= httpRuntime(ctx);
    const runtime = await http;
    const order = (entry: ServedTool) => builtinOrder.get(entry.tool.name) ?? builtins.length;
    const approved = versions.filter((version) => version.status === "approved");
    const entries = approved.flatMap((version) => serving(version, code, runtime, ctx));
    const earlier = new Map(versions.map((version) => [`${version.name}\n${version.hash}`, version]));
    const made = new Map<string, ServedTool | undefined>();
    ctx.tools.serve(
      // Built-ins first, in the code's order, then HTTP tools by name.
      entries.sort((a, b) => order(a) - order(b)),
      (name, hash) => {
        const key = `${name}\n${hash}`;
        if (!made.has(key)) {
          const version = earlier.get(key);
          const [entry] = version ? serving(version, code, runtime, ctx) : [];
          made.set(key, entry && version?.kind === "builtin" ? pinnedBuiltin(entry) : entry);
        }
        return made.get(key);
      },
    );
  }

  const { reload, idle } = serializedReload(load);

  await reload();
  const reloadLogged = () => {
    reload().catch((error: unknown) => ctx.log.error({ err: error }, "tool catalog reload failed"));
  };
  const unsubscribe = await ctx.bus.subscribe(TOOLS_CHANGED_CHANNEL, reloadLogged);
  const timer = setInterval(reloadLogged, refreshIntervalMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await unsubscribe();
      await idle();
      await (await http)?.close();
    },
  };
}

interface HttpRuntime {
  serve(definition: HttpToolDefinition): { tool: AnyTool; descriptor: Tool };
  close(): Promise<void>;
}

async function httpRuntime(ctx: CatalogContext): Promise<HttpRuntime> {
  const [{ createEgressAgent }, { createEgressPolicy }, { cachedSecrets }, { describeHttpTool, httpTool }] =
    await Promise.all([
      import("../../egress/agent.js"),
      import("../../egress/policy.js"),
      import("../../secrets/store.js"),
      import("../http/tool.js"),
    ]);
  const agent = createEgressAgent({ policy: createEgressPolicy(ctx.config.EGRESS_ALLOW) });
  const secrets = await cachedSecrets(ctx);
  const deps = { agent, secret: (name: string) => secrets.read(name) };
  return {
    serve: (definition) => ({ tool: httpTool(definition, deps), descriptor: describeHttpTool(definition) }),
    async close() {
      await secrets.close();
      await agent.close();
    },
  };
}

function serving(
  version: ToolVersion,
  code: ReadonlyMap<string, AnyTool>,
  http: HttpRuntime | undefined,
  ctx: Pick<AppContext, "log">,
): ServedTool[] {
  if (version.kind === "builtin") {
    // A built-in this build no longer has stays in the table, unserved.
    const tool = code.get(version.name);
    return tool ? [{ tool, descriptor: version.definition as Tool, version: version.hash }] : [];
  }
  if (!http) return [];
  try {
    return [{ ...http.serve(version.definition as HttpToolDefinition), version: version.hash }];
  } catch (error) {
    ctx.log.error(
      { err: error, tool: version.name, version: version.hash },
      "an approved HTTP tool could not be served",
    );
    return [];
  }
}
