import {
  type AppContext,
  AppError,
  allToolsScope,
  callTool,
  httpStatusOf,
  type Principal,
  updateToolSettings,
} from "@mcp-tools/core";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ToolOverview, toolsOverview } from "../api/tools-overview.js";
import type { AdminEnv } from "../env.js";
import { ToolsPage, TryPage } from "./tools-view.js";

/** The principal a signed-in person's "try it" calls run as, so the audit log names them. */
export function userPrincipal(username: string): Principal {
  return { id: `user:${username}`, kind: "user", scope: allToolsScope };
}

/** /tools: every tool with settings forms and a "try it" form; the same core calls as /api/tools. */
export function toolPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const render = async (
    c: Context<AdminEnv>,
    props: { error?: string; notice?: string } = {},
    status = 200,
  ) =>
    c.html(
      <ToolsPage session={c.get("session")} tools={await toolsOverview(ctx)} {...props} />,
      status as ContentfulStatusCode,
    );
  const change = async (c: Context<AdminEnv>, patch: Parameters<typeof updateToolSettings>[2]) => {
    const name = c.req.param("name") ?? "";
    try {
      await updateToolSettings(ctx, name, patch, c.get("session").user.username);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return render(c, { error: error.message }, httpStatusOf[error.code]);
    }
    return c.redirect(`/tools?done=saved#tool-${encodeURIComponent(name)}`, 303);
  };
  const findTool = async (name: string): Promise<ToolOverview> => {
    const tool = (await toolsOverview(ctx)).find((candidate) => candidate.name === name);
    if (!tool) throw new AppError("NOT_FOUND", `No tool named ${name}`);
    return tool;
  };

  app.get("/", (c) =>
    render(c, { notice: c.req.query("done") === "saved" ? "Tool settings saved." : undefined }),
  );
  app.post("/:name/enable", (c) => change(c, { enabled: true }));
  app.post("/:name/disable", (c) => change(c, { enabled: false }));

  app.post("/:name/settings", async (c) => {
    const form = await c.req.parseBody();
    const description = String(form.descriptionOverride ?? "").trim();
    const limitText = String(form.rateLimitPerMinute ?? "").trim();
    const limit = limitText === "" ? null : Number(limitText);
    if (limit !== null && !(Number.isInteger(limit) && limit > 0))
      return render(
        c,
        { error: "The rate limit must be a whole number of calls per minute, at least 1." },
        400,
      );
    return change(c, { descriptionOverride: description || null, rateLimitPerMinute: limit });
  });

  app.get("/:name/try", async (c) => {
    const tool = await findTool(c.req.param("name"));
    return c.html(<TryPage session={c.get("session")} tool={tool} args="{}" />);
  });

  app.post("/:name/try", async (c) => {
    const tool = await findTool(c.req.param("name"));
    const session = c.get("session");
    const args = String((await c.req.parseBody()).arguments ?? "").trim() || "{}";
    const page = (props: { error?: string; result?: Awaited<ReturnType<typeof callTool>> }, status = 200) =>
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
      if (error instanceof McpError) return page({ error: error.message }, 200);
      throw error;
    }
  });
  return app;
}
