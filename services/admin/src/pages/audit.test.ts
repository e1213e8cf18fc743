import { type AppContext, type AuditEntry, updateToolSettings } from "@mcp-tools/core";
import { createTestContext } from "@mcp-tools/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminApp } from "../app.js";
import { type SignedIn, signIn } from "../test-support.js";
import { csvCell } from "./audit-csv.js";

let ctx: AppContext;
let viewer: SignedIn;
const base = Date.parse("2026-03-01T12:00:00Z");

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    at: new Date(base),
    tool: "echo",
    principal: "key:abc",
    transport: "streamable-http",
    durationMs: 5,
    outcome: "ok",
    arguments: { text: "hi" },
    ...overrides,
  };
}

beforeAll(async () => {
  ctx = await createTestContext({ ADMIN_PORT: "9091" });
  viewer = await signIn(ctx, "viewer");
  for (let i = 0; i < 120; i += 1)
    ctx.audit.record(entry({ principal: "key:paging", at: new Date(base + i * 1_000), arguments: { i } }));
  ctx.audit.record(
    entry({ tool: "note_get", principal: "user:ann", outcome: "invalid", at: new Date(base - 3_600_000) }),
  );
  ctx.audit.record(
    entry({
      tool: "note_save",
      principal: "=cmd|' /C calc'!A0",
      outcome: "error",
      error: 'He said "no", then\nleft',
      arguments: { title: "<script>alert(1)</script>", tags: ["a,b"] },
      at: new Date(base + 86_400_000),
    }),
  );
  await ctx.audit.flush(5_000);
});
afterAll(() => ctx.close());

type Calls = {
  calls: Array<{ id: number; tool: string; principal: string; outcome: string }>;
  next: number | null;
};
const api = async (query: string) =>
  (await (
    await createAdminApp(ctx).request(`/api/audit?${query}`, { headers: viewer.headers })
  ).json()) as Calls;

describe("tool-call audit", () => {
  it("filters by tool, principal, outcome and time", async () => {
    expect((await api("tool=note_get")).calls.map((call) => call.principal)).toEqual(["user:ann"]);
    expect((await api("principal=user:ann")).calls).toHaveLength(1);
    expect((await api("outcome=error")).calls.map((call) => call.tool)).toEqual(["note_save"]);
    const window = await api(`from=2026-03-01T11:00:00Z&to=2026-03-01T11:59:59Z`);
    expect(window.calls.map((call) => call.tool)).toEqual(["note_get"]);
    // The form's datetime-local values carry no zone: they are UTC, as the form says.
    expect((await api("from=2026-03-02T00:00")).calls.map((call) => call.tool)).toEqual(["note_save"]);
    const bad = await createAdminApp(ctx).request("/api/audit?outcome=maybe", { headers: viewer.headers });
    expect(bad.status).toBe(400);
    const badDate = await createAdminApp(ctx).request("/api/audit?from=yesterday", {
      headers: viewer.headers,
    });
    expect(await badDate.json()).toMatchObject({ error: { message: expect.stringMatching(/^from: /) } });
  });

  it("pages 50 at a time, newest first, without repeating or skipping a row", async () => {
    const first = await api("principal=key:paging");
    expect(first.calls).toHaveLength(50);
    const second = await api(`principal=key:paging&before=${first.next}`);
    const third = await api(`principal=key:paging&before=${second.next}`);
    expect(third.calls).toHaveLength(20);
    expect(third.next).toBeNull();
    const ids = [...first.calls, ...second.calls, ...third.calls].map((call) => call.id);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const page = await (
      await createAdminApp(ctx).request("/audit?principal=key%3Apaging", { headers: viewer.headers })
    ).text();
    expect(page).toContain(`href="/audit?principal=key%3Apaging&amp;before=${first.next}"`);
    expect(page).toContain('href="/audit.csv?principal=key%3Apaging"');
  });

  it("shows an empty state when nothing matches", async () => {
    const page = await (
      await createAdminApp(ctx).request("/audit?tool=nothing", { headers: viewer.headers })
    ).text();
    expect(page).toContain("No tool calls match.");
  });

  it("shows a call's arguments and error as text", async () => {
    const [call] = (await api("tool=note_save")).calls;
    const app = createAdminApp(ctx);
    const html = await (await app.request(`/audit/${call?.id}`, { headers: viewer.headers })).text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("He said &quot;no&quot;, then\nleft");
    const list = await (await app.request("/audit?outcome=error", { headers: viewer.headers })).text();
    expect(list).toContain("=cmd|&#39; /C calc&#39;!A0");
    expect((await app.request("/audit/999999", { headers: viewer.headers })).status).toBe(404);
  });

  it("exports the filtered calls as escaped, formula-safe CSV", async () => {
    const response = await createAdminApp(ctx).request("/audit.csv?outcome=error", {
      headers: viewer.headers,
    });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="audit-/);
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe("id,at,tool,principal,transport,session_id,duration_ms,outcome,error,arguments");
    expect(lines[1]).toMatch(
      /^\d+,2026-03-02T12:00:00\.000Z,note_save,'=cmd\|' \/C calc'!A0,streamable-http,,5,error,"He said ""no"", then\nleft",/,
    );
    expect(lines[1]).toContain('"{""tags"":[""a,b""],""title"":""<script>alert(1)</script>""}"');
    expect(lines).toHaveLength(3); // header, one row, the final empty string after the last CRLF
    const all = await (await createAdminApp(ctx).request("/audit.csv", { headers: viewer.headers })).text();
    expect(all.split("\r\n")).toHaveLength(124);
  });

  it("escapes every dangerous cell start", () => {
    expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", "a,b", 'q"q', 12].map(csvCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "plain",
      '"a,b"',
      '"q""q"',
      "12",
    ]);
  });
});

describe("admin actions audit", () => {
  it("lists who changed what, with the state before and after, as text", async () => {
    await updateToolSettings(ctx, "echo", { descriptionOverride: "<i>loud</i>" }, "ops-<b>bob</b>");
    const app = createAdminApp(ctx);
    const html = await (await app.request("/audit/admin", { headers: viewer.headers })).text();
    expect(html).toContain("ops-&lt;b&gt;bob&lt;/b&gt;");
    expect(html).toContain("tool.update");
    expect(html).toContain("&lt;i&gt;loud&lt;/i&gt;");
    const body = (await (await app.request("/api/audit/admin", { headers: viewer.headers })).json()) as {
      actions: Array<{ actor: string; after: unknown }>;
      next: number | null;
    };
    expect(body.actions[0]).toMatchObject({
      actor: "ops-<b>bob</b>",
      after: { descriptionOverride: "<i>loud</i>" },
    });
    expect(body.next).toBeNull();
  });
});
