import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { adminAudit, apiKeys, notes, toolSettings, users } from "../db/schema.js";
import { createApiKey } from "../keys/create.js";
import { revokeApiKey } from "../keys/revoke.js";
import { KEYS_CHANGED } from "../keys/verifier.js";
import { removeNote } from "../notes/manage.js";
import { createPresence } from "../presence/presence.js";
import { terminateSession } from "../presence/read.js";
import { publicSessionId, TERMINATE_CHANNEL } from "../presence/record.js";
import { createTestContext } from "../testing/context.js";
import { installAuditRefusal } from "../testing/refuse-audit.js";
import { insertNote } from "../tools/notes/store.js";
import { TOOLS_CHANGED_CHANNEL } from "../tools/settings/cache.js";
import { updateToolSettings } from "../tools/settings/update.js";
import { bootstrapAdmin } from "../users/bootstrap.js";
import { createUser } from "../users/create.js";
import { getUser } from "../users/list.js";
import { createSession, resolveSession, revokeUserSessions } from "../users/sessions.js";
import { completeSetup, isSetupTokenValid } from "../users/setup.js";
import { updateUser } from "../users/update.js";
import { recordAdminAction } from "./admin.js";

let ctx: AppContext;
let refusingAudit: <T>(work: () => Promise<T>) => Promise<T>;
const published: string[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  refusingAudit = await installAuditRefusal(ctx.db.db);
  for (const channel of [KEYS_CHANGED, TOOLS_CHANGED_CHANNEL, TERMINATE_CHANNEL])
    await ctx.bus.subscribe(channel, (message) => published.push(`${channel} ${message}`));
});
afterAll(() => ctx.close());
beforeEach(async () => {
  for (const table of [adminAudit, apiKeys, toolSettings, notes, users]) await ctx.db.db.delete(table);
  published.length = 0;
});

// The answer a client gets: it can try again, and nothing was changed.
const refused = (work: () => Promise<unknown>) =>
  expect(refusingAudit(work)).rejects.toMatchObject({ code: "UNAVAILABLE", message: /not made/ });
const auditRows = () => ctx.db.db.select().from(adminAudit);
const someone = (username = "bob", role: "admin" | "viewer" = "viewer") =>
  createUser(ctx, "root", { username, role, password: "a long password" });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("an admin change whose audit row cannot be written", () => {
  it("creating a user: no user", async () => {
    await refused(() => someone());
    expect(await ctx.db.db.select().from(users)).toEqual([]);
  });

  it("changing a role or disabling: the user is as before, sessions live", async () => {
    await someone("root", "admin");
    const bob = await someone();
    const session = await createSession(ctx, bob);
    await refused(() => updateUser(ctx, "root", bob.id, { role: "admin" }));
    await refused(() => updateUser(ctx, "root", bob.id, { disabled: true }));
    expect(await getUser(ctx, bob.id)).toMatchObject({ role: "viewer", disabled: false });
    expect(await resolveSession(ctx, session.token)).toBeDefined();
  });

  it("signing a user out everywhere: the sessions live", async () => {
    const bob = await someone();
    const session = await createSession(ctx, bob);
    await refused(() => revokeUserSessions(ctx, "root", bob.id));
    expect(await resolveSession(ctx, session.token)).toBeDefined();
  });

  it("first start and setup: no admin, then the setup link still works", async () => {
    await refused(() => bootstrapAdmin(ctx));
    expect(await ctx.db.db.select().from(users)).toEqual([]);
    const link = await bootstrapAdmin(ctx);
    const token = link.kind === "setup-link" ? (new URL(link.url).searchParams.get("token") ?? "") : "";
    await refused(() => completeSetup(ctx, token, "the chosen password"));
    expect(await isSetupTokenValid(ctx, token)).toBe(true);
  });

  it("creating or revoking an API key: no key, no revocation, nothing announced", async () => {
    await refused(() => createApiKey(ctx.db.db, { name: "k", scope: { kind: "all" }, createdBy: "root" }));
    expect(await ctx.db.db.select().from(apiKeys)).toEqual([]);
    const { key } = await createApiKey(ctx.db.db, { name: "k", scope: { kind: "all" }, createdBy: "root" });
    await refused(() => revokeApiKey({ db: ctx.db.db, bus: ctx.bus }, key.id, "root"));
    const [row] = await ctx.db.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.revokedAt).toBeNull();
    await settle();
    expect(published).toEqual([]);
  });

  it("changing a tool's settings: unchanged, in the database and in every process", async () => {
    await refused(() => updateToolSettings(ctx, "echo", { enabled: false }, "root"));
    expect(await ctx.db.db.select().from(toolSettings)).toEqual([]);
    expect(ctx.toolSettings.get("echo").enabled).toBe(true);
    await settle();
    expect(published).toEqual([]);
  });

  it("deleting a note: the note stays", async () => {
    const note = await insertNote(ctx.db.db, { title: "keep me", body: "", tags: [] });
    await refused(() => removeNote(ctx, "root", note.id));
    expect(await ctx.db.db.select().from(notes)).toHaveLength(1);
  });

  it("ending an MCP session: nothing is asked of its process", async () => {
    const presence = createPresence({ bus: ctx.bus, log: ctx.log, processId: "holder" });
    const at = Date.UTC(2026, 0, 1);
    const session = { id: publicSessionId("s"), transport: "sse", principal: "anonymous", startedAt: at };
    await presence.register({
      service: "mcp-sse",
      sessions: () => [{ ...session, lastActivityAt: at, terminable: true }],
      terminate: async () => true,
    });
    try {
      await refused(() => terminateSession(ctx, "root", session.id));
      await settle();
      expect(published).toEqual([]);
    } finally {
      await presence.close();
    }
  });

  it("writes no audit row for any of them", async () => {
    await refused(() => someone());
    expect(await auditRows()).toEqual([]);
  });
});

describe("recordAdminAction", () => {
  it("stores values that PostgreSQL's jsonb would refuse, made well-formed", async () => {
    await ctx.db.db.transaction((tx) =>
      recordAdminAction(tx, {
        actor: "root\u0000",
        action: "tool.update",
        targetType: "tool",
        targetId: "echo\ud800",
        before: { "key\u0000\udc00": "lone \ud800 surrogate", list: ["nul \u0000 inside", "😀"] },
        after: { description: "cut emoji \ud83d" },
      }),
    );
    expect(await auditRows()).toMatchObject([
      {
        actor: "root",
        targetId: "echo\ufffd",
        before: { "key\ufffd": "lone \ufffd surrogate", list: ["nul  inside", "😀"] },
        after: { description: "cut emoji \ufffd" },
      },
    ]);
  });
});
