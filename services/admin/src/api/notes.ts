import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { type AppContext, browseNotes, getNote, removeNote } from "@mcp-tools/core";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { createApiApp } from "./api-app.js";
import { queryParam, trimmedParam } from "./query.js";
import { csrfHeader, failure, IdParam, json, refused, unauthorized } from "./responses.js";

/** Notes per page unless `limit` says otherwise. */
export const NOTES_PAGE_SIZE = 25;

const wholeNumber = { error: "must be a whole number from 1 to 100" };
const BrowseQuery = z.object({
  q: queryParam(z.string().optional()).openapi({ description: 'e.g. postgres "pool" -mysql' }),
  tag: queryParam(z.string().optional()),
  cursor: queryParam(z.string().optional()).openapi({ description: "nextCursor of the previous page" }),
  limit: trimmedParam(
    z.coerce
      .number(wholeNumber)
      .int(wholeNumber)
      .min(1, wholeNumber)
      .max(100, wholeNumber)
      .default(NOTES_PAGE_SIZE),
  ),
});

const stamp = z.string().openapi({ format: "date-time" });
const NoteSummary = z.object({
  id: z.string().openapi({ format: "uuid" }),
  title: z.string(),
  tags: z.array(z.string()),
  createdAt: stamp,
  updatedAt: stamp,
});
const Note = NoteSummary.extend({ body: z.string() });
const NoteIdParam = IdParam("The note's id");

const browse = createRoute({
  method: "get",
  path: "/",
  summary: "Notes newest first, or full-text matches of q best first, a page at a time",
  request: { query: BrowseQuery },
  responses: {
    200: json(
      z.object({
        notes: z.array(NoteSummary.extend({ excerpt: z.string(), rank: z.number().optional() })),
        nextCursor: z.string().nullable(),
      }),
      "Each note without its body, with an excerpt (matches in **bold**)",
    ),
    ...refused,
  },
});

const read = createRoute({
  method: "get",
  path: "/{id}",
  summary: "One whole note",
  request: { params: NoteIdParam },
  responses: {
    200: json(z.object({ note: Note }), "The note"),
    ...unauthorized,
    404: failure("No such note"),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  summary: "Delete a note for every client (operator, admin); recorded in the admin audit",
  middleware: [requireRole("operator", "admin")] as const,
  parameters: [csrfHeader],
  request: { params: NoteIdParam },
  responses: {
    200: json(z.object({ deleted: Note.pick({ id: true, title: true }) }), "Deleted"),
    ...refused,
    404: failure("No such note"),
  },
});

/** /api/notes: browse, search, read and delete the notes the MCP tools share. */
export function noteApi(ctx: AppContext): OpenAPIHono<AdminEnv> {
  const app = createApiApp();
  app.openapi(browse, async (c) => c.json(await browseNotes(ctx, c.req.valid("query")), 200));

  app.openapi(read, async (c) => c.json({ note: await getNote(ctx, c.req.valid("param").id) }, 200));

  app.openapi(remove, async (c) => {
    const note = await removeNote(ctx, c.get("session").user.username, c.req.valid("param").id);
    return c.json({ deleted: { id: note.id, title: note.title } }, 200);
  });
  return app;
}
