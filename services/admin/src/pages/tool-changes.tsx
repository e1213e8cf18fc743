import { type AppContext, AppError, httpStatusOf } from "@mcp-tools/core";
import { decideToolVersion, proposeHttpTool } from "@mcp-tools/core/catalog";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { DefinitionPage, EXAMPLE_DEFINITION } from "./tool-definition-view.js";
import { findCatalogEntry } from "./tools.js";
import { prettyDefinition } from "./version-diff.js";

/**
 * Changes to the catalog: a new HTTP tool, a new definition of one (each a pending version), and
 * an admin's decision on a pending version. The same core verbs as /api/http-tools.
 */
export function toolChangePages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const actor = (c: Context<AdminEnv>) => c.get("session").user.username;

  // Paths with a hyphen, which no tool name has, so that no tool hides them.
  app.get("/add-http", (c) =>
    c.html(<DefinitionPage session={c.get("session")} definition={prettyDefinition(EXAMPLE_DEFINITION)} />),
  );
  app.post("/add-http", (c) => propose(c));

  app.get("/:name/definition", async (c) => {
    const tool = await findCatalogEntry(ctx, c.req.param("name"));
    if (tool.kind !== "http")
      throw new AppError("NOT_FOUND", "Built-in tools change with the code, not here");
    const latest = tool.pending ?? tool.approved;
    return c.html(
      <DefinitionPage
        session={c.get("session")}
        name={tool.name}
        definition={prettyDefinition(latest?.definition ?? {})}
      />,
    );
  });
  app.post("/:name/definition", async (c) => {
    const tool = await findCatalogEntry(ctx, c.req.param("name"));
    return propose(c, tool.toolId, tool.name);
  });

  async function propose(c: Context<AdminEnv>, toolId?: string, name?: string) {
    const text = String((await c.req.parseBody()).definition ?? "");
    const page = (error: string, status: number) =>
      c.html(
        <DefinitionPage session={c.get("session")} name={name} definition={text} error={error} />,
        status as ContentfulStatusCode,
      );
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (error) {
      return page(`The definition is not valid JSON: ${(error as Error).message}`, 400);
    }
    try {
      const version = await proposeHttpTool(ctx, definition, actor(c), toolId);
      return c.redirect(`/tools/${encodeURIComponent(version.name)}?done=proposed`, 303);
    } catch (error) {
      if (error instanceof AppError) return page(error.message, httpStatusOf[error.code]);
      throw error;
    }
  }

  for (const decision of ["approve", "reject"] as const)
    app.post(`/:name/versions/:id/${decision}`, requireRole("admin"), async (c) => {
      const id = c.req.param("id");
      if (!z.uuid().safeParse(id).success)
        throw new AppError("NOT_FOUND", `No tool version ${id.slice(0, 64)}`);
      const version = await decideToolVersion(ctx, id, decision, actor(c));
      // A new tool rejected before its first approval has no page left.
      const shown = decision === "approve" ? version.name : c.req.param("name");
      const stays = await findCatalogEntry(ctx, shown).then(
        () => true,
        () => false,
      );
      const page = stays ? `/tools/${encodeURIComponent(shown)}` : "/tools";
      return c.redirect(`${page}?done=${decision}d`, 303);
    });
  return app;
}
