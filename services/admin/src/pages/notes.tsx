import { type AppContext, AppError, browseNotes, getNote, httpStatusOf, removeNote } from "@mcp-tools/core";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { NOTES_PAGE_SIZE } from "../api/notes.js";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { ConfirmStep } from "./confirm-step.js";
import { NotePage, NotesPage } from "./notes-view.js";

/** /notes: people curate the notes their agents share: browse, search, read, delete. */
export function notePages(ctx: AppContext) {
  const app = new Hono<AdminEnv>();

  app.get("/", async (c) => {
    const { q, tag, cursor } = c.req.query();
    const session = c.get("session");
    const notice = c.req.query("done") === "deleted" ? "Note deleted." : undefined;
    try {
      const page = await browseNotes(ctx, { q, tag, cursor, limit: NOTES_PAGE_SIZE });
      return c.html(<NotesPage session={session} q={q} tag={tag} notice={notice} {...page} />);
    } catch (error) {
      // A bad tag or a stale cursor: say so above the form rather than on a bare error page.
      if (!(error instanceof AppError)) throw error;
      return c.html(
        <NotesPage session={session} q={q} tag={tag} notes={[]} error={error.message} />,
        httpStatusOf[error.code] as ContentfulStatusCode,
      );
    }
  });

  app.get("/:id", async (c) => {
    const note = await getNote(ctx, c.req.param("id"));
    return c.html(<NotePage session={c.get("session")} note={note} />);
  });

  app.get("/:id/delete", requireRole("operator", "admin"), async (c) => {
    const note = await getNote(ctx, c.req.param("id"));
    return c.html(
      <ConfirmStep
        session={c.get("session")}
        title="Delete this note?"
        current="/notes"
        action={`/notes/${note.id}/delete`}
        button="Delete for good"
        cancel={`/notes/${note.id}`}
      >
        <strong>{note.title}</strong> is deleted for every client that shares these notes. There is no undo.
      </ConfirmStep>,
    );
  });

  app.post("/:id/delete", requireRole("operator", "admin"), async (c) => {
    await removeNote(ctx, c.get("session").user.username, c.req.param("id"));
    return c.redirect("/notes?done=deleted", 303);
  });

  return app;
}
