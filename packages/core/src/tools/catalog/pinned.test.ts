import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { expect, it } from "vitest";
import type { AppContext } from "../../context.js";
import { auditLog, toolVersions } from "../../db/schema.js";
import { createApiKey } from "../../keys/create.js";
import { setKeyPins } from "../../keys/pins.js";
import { callTool } from "../../mcp/call-tool.js";
import { keyPrincipal } from "../../mcp/principal.js";
import { describeEachDatabase, openContextFor } from "../../testing/each-database.js";
import { echo } from "../echo.js";
import { describeTool } from "../registry.js";
import { TOOLS_CHANGED_CHANNEL } from "../settings/cache.js";
import { visibleTools } from "../settings/visible.js";
import { versionHash } from "./hash.js";

/** Stores a definition of echo as an earlier build had it, superseded since. */
async function earlierEcho(ctx: AppContext, descriptor: Tool): Promise<string> {
  const hash = versionHash(descriptor);
  await ctx.db.db.insert(toolVersions).values({
    toolId: "builtin:echo",
    kind: "builtin",
    name: "echo",
    hash,
    definition: descriptor,
    status: "superseded",
    createdBy: "system",
  });
  await ctx.bus.publish(TOOLS_CHANGED_CHANNEL, "versions");
  await expect.poll(() => ctx.tools.pinned("echo", hash)).toBeDefined();
  return hash;
}

async function pinnedTo(ctx: AppContext, hash: string) {
  const { key } = await createApiKey(ctx.db.db, {
    name: "pinned",
    scope: { kind: "all" },
    createdBy: "alice",
  });
  const principal = keyPrincipal(await setKeyPins(ctx, key.id, { echo: hash }, "alice"));
  return {
    principal,
    call: (args: unknown) =>
      callTool(ctx, "echo", args, {
        principal,
        transport: "in-memory",
        signal: new AbortController().signal,
      }),
  };
}

describeEachDatabase("a key pinned to an earlier version of a built-in tool", (database) => {
  let ctx: AppContext;
  openContextFor(database, (opened) => {
    ctx = opened;
  });

  it("is refused, recoverably, when that version's input differs from the code's", async () => {
    const current = describeTool(echo);
    const hash = await earlierEcho(ctx, {
      ...current,
      inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    });
    const pinned = await pinnedTo(ctx, hash);
    // It still sees what it was shown: the version is not hidden, its calls say what is wrong.
    expect(
      visibleTools(ctx, pinned.principal).find((tool) => tool.name === "echo")?.inputSchema,
    ).toMatchObject({
      required: ["message"],
    });
    const refusal = {
      isError: true,
      content: [
        {
          type: "text",
          text: `The pinned version ${hash.slice(0, 12)} of the built-in tool echo can no longer run on this build: its input or output schema has changed since. An admin must pin this key to a current version of echo.`,
        },
      ],
    };
    expect(await pinned.call({ message: "hi" })).toEqual(refusal);
    // Not today's code either, even with arguments today's code would take.
    expect(await pinned.call({ text: "hi" })).toEqual(refusal);

    await ctx.audit.flush(5_000);
    const rows = (await ctx.db.db.select().from(auditLog)).filter((row) => row.toolVersion === hash);
    expect(rows.map((row) => row.outcome)).toEqual(["error", "error"]);
  });

  it("runs the code when that version differs from the code only in what it says", async () => {
    const hash = await earlierEcho(ctx, { ...describeTool(echo), description: "Echo, as first written" });
    const pinned = await pinnedTo(ctx, hash);
    expect(await pinned.call({ text: "hi" })).toMatchObject({ structuredContent: { text: "hi" } });
    expect(await pinned.call({ message: "hi" })).toMatchObject({ isError: true });
  });
});
