import { type AppContext, adminAudit, notes } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { formPost, jsonWrite, type SignedIn, signIn } from "../test-support.js";

let ctx: AppContext;
let operator: SignedIn;
let viewer: SignedIn;
beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  [operator, viewer] = await Promise.all([signIn(ctx, "operator"), signIn(ctx, "viewer")]);
});
afterAll(() => ctx.close());

const run = Math.random().toString(36).slice(2, 8);

async function addNote(title: string, body: string, tags: string[] = [], createdAt?: string) {
  const [row] = await ctx.db.db
    .insert(notes)
    .values({ title, body, tags, ...(createdAt ? { createdAt, updatedAt: createdAt } : {}) })
    .returning({ id: notes.id });
  if (!row) throw new Error("no note");
  return row.id;
}

interface Listing {
  notes: Array<{ id: string; title: string; excerpt: string }>;
  nextCursor: string | null;
}

const api = async (path: string, who = viewer) => {
  const response = await createAdminApp(ctx).request(path, { headers: who.headers });
  return { status: response.status, body: (await response.json()) as Listing & Record<string, unknown> };
};

describe("notes", () => {
  it("shows an empty state before any note exists", async () => {
    const html = await (await createAdminApp(ctx).request("/notes", { headers: viewer.headers })).text();
    expect(html).toContain("No notes yet.");
  });

  it("browses newest first a page at a time, by tag too", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(
        await addNote(`paged ${run} ${i}`, `body ${i}`, [`tag-${run}`], `2026-01-0${i + 1}T00:00:00Z`),
      );
    }
    const first = await api(`/api/notes?tag=tag-${run}&limit=3`);
    expect(first.body.notes.map((note) => note.title)).toEqual([4, 3, 2].map((i) => `paged ${run} ${i}`));
    const second = await api(
      `/api/notes?tag=tag-${run}&limit=3&cursor=${encodeURIComponent(first.body.nextCursor ?? "")}`,
    );
    expect(second.body.notes.map((note) => note.id)).toEqual([ids[1], ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    // The page links to the next page, keeping the filter.
    const html = await (
      await createAdminApp(ctx).request(`/notes?tag=tag-${run}`, { headers: viewer.headers })
    ).text();
    expect(html).toContain(`paged ${run} 4`);
    const stale = await createAdminApp(ctx).request(`/notes?cursor=garbage`, { headers: viewer.headers });
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain("cursor: not a valid");
  });

  it("searches the full text, best match first, with matches marked", async () => {
    await addNote(`Kubernetes ${run} rollout`, "How we roll deployments without downtime.");
    await addNote(`Misc ${run}`, "Notes that mention kubernetes once.");
    const { body } = await api(`/api/notes?q=${encodeURIComponent(`kubernetes ${run}`)}`);
    expect(body.notes.map((note) => note.title)).toEqual([`Kubernetes ${run} rollout`, `Misc ${run}`]);
    const html = await (
      await createAdminApp(ctx).request(`/notes?q=kubernetes+${run}`, { headers: viewer.headers })
    ).text();
    expect(html).toContain("<mark>kubernetes</mark>");
    const none = await (
      await createAdminApp(ctx).request(`/notes?q=zzzunfindable${run}`, { headers: viewer.headers })
    ).text();
    expect(none).toContain("No notes match this search.");
  });

  it("renders a note's HTML as text, in lists, search snippets and the note itself", async () => {
    const title = `<img src=x onerror=alert(1)> ${run}`;
    const id = await addNote(title, `<script>alert("body")</script> xsscheck${run}`, ["<b>tag</b>"]);
    const app = createAdminApp(ctx);
    for (const path of ["/notes", `/notes?q=xsscheck${run}`, `/notes/${id}`]) {
      const html = await (await app.request(path, { headers: viewer.headers })).text();
      expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      expect(html).not.toContain("<img src=x");
      expect(html).not.toContain("<b>tag</b>");
      expect(html).not.toContain("<script>alert");
    }
    const page = await (await app.request(`/notes/${id}`, { headers: viewer.headers })).text();
    expect(page).toContain("&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;");
  });

  it("shows one note by id through the API, and 404s an unknown or malformed id", async () => {
    const id = await addNote(`Single ${run}`, "the whole body", ["x"]);
    const { status, body } = await api(`/api/notes/${id}`);
    expect(status).toBe(200);
    expect(body.note).toMatchObject({ id, title: `Single ${run}`, body: "the whole body", tags: ["x"] });
    expect((await api("/api/notes/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await api("/api/notes/not-a-uuid")).status).toBe(404);
  });

  it("deletes after the confirmation step, audited; the API deletes too", async () => {
    const id = await addNote(`Doomed ${run}`, "bye");
    const app = createAdminApp(ctx);
    const confirm = await app.request(`/notes/${id}/delete`, { headers: operator.headers });
    expect(await confirm.text()).toContain("Delete this note?");
    const done = await app.request(`/notes/${id}/delete`, formPost(operator, {}));
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/notes?done=deleted");
    expect((await api(`/api/notes/${id}`)).status).toBe(404);
    const row = (await ctx.db.db.select().from(adminAudit)).find((action) => action.targetId === id);
    expect(row).toMatchObject({
      actor: operator.user.username,
      action: "note.deleted",
      targetType: "note",
      before: { title: `Doomed ${run}`, body: "bye", tags: [] },
    });

    const other = await addNote(`Doomed too ${run}`, "bye");
    const deleted = await app.request(`/api/notes/${other}`, jsonWrite(operator, "DELETE", {}));
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: { id: other, title: `Doomed too ${run}` } });
    expect((await app.request(`/api/notes/${other}`, jsonWrite(operator, "DELETE", {}))).status).toBe(404);
  });

  it("refuses a viewer deletion with 403 and offers them no delete button", async () => {
    const id = await addNote(`Kept ${run}`, "stays");
    const app = createAdminApp(ctx);
    expect((await app.request(`/api/notes/${id}`, jsonWrite(viewer, "DELETE", {}))).status).toBe(403);
    expect((await app.request(`/notes/${id}/delete`, formPost(viewer, {}))).status).toBe(403);
    expect((await app.request(`/notes/${id}/delete`, { headers: viewer.headers })).status).toBe(403);
    expect(await (await app.request(`/notes/${id}`, { headers: viewer.headers })).text()).not.toContain(
      `/notes/${id}/delete`,
    );
    expect((await api(`/api/notes/${id}`)).status).toBe(200);
  });
});
