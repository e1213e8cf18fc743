import {
  type AppContext,
  AppError,
  allToolsScope,
  callTool,
  httpStatusOf,
  type Principal,
  updateToolSettings,
} from "@mcp-tools/core";
import { listToolVersions, portabilityIssues } from "@mcp-tools/core/catalog";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AdminEnv } from "../env.js";
import { type CatalogEntry, type CatalogFilter, filterCatalog, toolCatalog } from "./tool-catalog.js";
import { TryPage } from "./tool-try-view.js";
import { ToolPage } from "./tool-view.js";
import { ToolsPage } from "./tools-view.js";

/** The principal a signed-in person's "try it" calls run as, so the audit log names them. */
export function userPrincipal(username: string): Principal {
  return { id: `user:${username}`, kind: "user", scope: allToolsScope };
}

const notices: Record<string, string> = {
  saved: "Tool settings saved.",
  proposed: "Saved as a pending version: clients see it once an admin approves it.",
  approved: "Approved: every client is served this version from now on.",
  rejected: "Rejected: clients keep the approved version.",
};

function noticeOf(done: string | undefined): string | undefined {
  const imported = /^imported-(\d+)$/.exec(done ?? "");
  if (imported) return `${imported[1]} tools imported; each waits for an admin's approval.`;
  return notices[done ?? ""];
}

/** The catalog entry a tool page names: by the name clients know, or a new tool's pending name. */
export async function findCatalogEntry(ctx: AppContext, name: string): Promise<CatalogEntry> {
  const tools = await toolCatalog(ctx);
  const tool =
    tools.find((entry) => entry.name === name) ?? tools.find((entry) => entry.pending?.name === name);
  if (!tool) throw new AppError("NOT_FOUND", `No tool named ${name.slice(0, 64)}`);
  return tool;
}

/** /tools: the table of every tool, a page per tool (settings, versions, approval) and "try it". */
export function toolPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get("/", async (c) => {
    const filter = filterFrom(c);
    const tools = await toolCatalog(ctx);
    return c.html(
      <ToolsPage
        session={c.get("session")}
        tools={filterCatalog(tools, filter)}
        total={tools.length}
        filter={filter}
        notice={noticeOf(c.req.query("done"))}
      />,
    );
  });

  const toolPage = async (c: Context<AdminEnv>, props: { error?: string; notice?: string }, status = 200) => {
    const tool = await findCatalogEntry(ctx, c.req.param("name") ?? "");
    const pending = tool.pending?.definition as { inputSchema?: unknown; outputSchema?: unknown } | undefined;
    return c.html(
      <ToolPage
        session={c.get("session")}
        tool={tool}
        versions={await listToolVersions(ctx, { toolId: tool.toolId })}
        portability={
          pending
            ? [...portabilityIssues(pending.inputSchema), ...portabilityIssues(pending.outputSchema ?? {})]
            : []
        }
        {...props}
      />,
      status as ContentfulStatusCode,
    );
  };

  app.get("/:name", (c) => toolPage(c, { notice: noticeOf(c.req.query("done")) }));

  const change = async (c: Context<AdminEnv>, patch: Parameters<typeof updateToolSettings>[2]) => {
    const name = c.req.param("name") ?? "";
    try {
      await updateToolSettings(ctx, name, patch, c.get("session").user.username);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return toolPage(c, { error: error.message }, httpStatusOf[error.code]);
    }
    return c.redirect(`/tools/${encodeURIComponent(name)}?done=saved`, 303);
  };
  app.post("/:name/enable", (c) => change(c, { enabled: true }));
  app.post("/:name/disable", (c) => change(c, { enabled: false }));

  app.post("/:name/settings", async (c) => {
    const form = await c.req.parseBody();
    const description = String(form.descriptionOverride ?? "").trim();
    const limitText = String(form.rateLimitPerMinute ?? "").trim();
    const limit = limitText === "" ? null : Number(limitText);
    if (limit !== null && !(Number.isInteger(limit) && limit > 0))
      return toolPage(
        c,
        { error: "The rate limit must be a whole number of calls per minute, at least 1." },
        400,
      );
    return change(c, { descriptionOverride: description || null, rateLimitPerMinute: limit });
  });

  const servedTool = async (name: string) => {
    const tool = (await findCatalogEntry(ctx, name)).served;
    if (!tool)
      throw new AppError("NOT_FOUND", `${name.slice(0, 64)} is not served yet: it waits for approval`);
    return tool;
  };

  app.get("/:name/try", async (c) => {
    const tool = await servedTool(c.req.param("name"));
    return c.html(<TryPage session={c.get("session")} tool={tool} args="{}" />);
  });

  app.post("/:name/try", async (c) => {
    const tool = await servedTool(c.req.param("name"));
    const session = c.get("session");
    const args = String((await c.req.parseBody()).arguments ?? "").trim() || "{}";
    const page = (props: { error?: string; result?: CallToolResult }, status = 200) =>
      c.html(
        <TryPage session={session} tool={tool} args={args} {...props} />,
        status as ContentfulStatusCode,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch (error) {
      return page({ error: `The arguments are not valid JSON: ${(error as Error).message}` }, 400);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return page({ error: "The arguments must be a JSON object, such as {}." }, 400);
    try {
      const result = await callTool(ctx, tool.name, parsed, {
        principal: userPrincipal(session.user.username),
        transport: "admin",
        signal: c.req.raw.signal,
      });
      return page({ result });
    } catch (error) {
      // A protocol error (a disabled tool, a failure inside it) is shown, not turned into a 500 page.
      if (error instanceof AppError) return page({ error: error.message }, 200);
      throw error;
    }
  });
  return app;
}

function filterFrom(c: Context<AdminEnv>): CatalogFilter {
  const kind = c.req.query("kind");
  const state = c.req.query("state");
  return {
    q: c.req.query("q")?.slice(0, 200),
    kind: kind === "builtin" || kind === "http" ? kind : undefined,
    state: state === "enabled" || state === "disabled" ? state : undefined,
    pending: c.req.query("pending") === "1",
  };
}
