import { type AppContext, AppError, browseNotes, getNote, removeNote } from "@mcp-tools/core";
import { Hono } from "hono";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";

/** Notes per page unless `limit` says otherwise. */
export const NOTES_PAGE_SIZE = 25;

/** /api/notes: browse, search, read and delete the notes the MCP tools share. */
export function noteApi(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();

  app.get("/", async (c) => {
    const { q, tag, cursor } = c.req.query();
    return c.json(await browseNotes(ctx, { q, tag, cursor, limit: limitOf(c.req.query("limit")) }));
  });

  app.get("/:id", async (c) => c.json({ note: await getNote(ctx, c.req.param("id")) }));

  app.delete("/:id", requireRole("operator", "admin"), async (c) => {
    const note = await removeNote(ctx, c.get("session").user.username, c.req.param("id"));
    return c.json({ deleted: { id: note.id, title: note.title } });
  });

  return app;
}

function limitOf(text: string | undefined): number {
  if (text === undefined || text === "") return NOTES_PAGE_SIZE;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new AppError("INVALID", "limit: must be a whole number from 1 to 100", {
      details: { field: "limit" },
    });
  }
  return limit;
}
