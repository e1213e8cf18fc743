import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryBus } from "../../bus/memory.js";
import type { AppContext } from "../../context.js";
import { toolSettings } from "../../db/schema.js";
import { createTestContext } from "../../testing/context.js";
import { createToolSettingsCache, TOOLS_CHANGED_CHANNEL } from "./cache.js";
import { listToolSettings } from "./list.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const disable = (tool: string) =>
  ctx.db.db
    .insert(toolSettings)
    .values({ tool, enabled: false, updatedBy: "test" })
    .onConflictDoUpdate({ target: toolSettings.tool, set: { enabled: false, updatedAt: new Date() } });

describe("tool settings cache", () => {
  it("reloads when a change is announced on the bus, then tells its listeners", async () => {
    const bus = createMemoryBus();
    const cache = await createToolSettingsCache({ db: ctx.db.db, bus, log: ctx.log });
    let told = 0;
    cache.onChange(() => {
      told += 1;
    });
    expect(cache.get("note_save").enabled).toBe(true);
    await disable("note_save");
    expect(cache.get("note_save").enabled).toBe(true); // cached: no query per call
    await bus.publish(TOOLS_CHANGED_CHANNEL, "note_save");
    await expect.poll(() => cache.get("note_save").enabled).toBe(false);
    expect(told).toBe(1);
    await cache.close();
  });

  it("catches up on its own with a change whose announcement it missed", async () => {
    const cache = await createToolSettingsCache({
      db: ctx.db.db,
      bus: createMemoryBus(),
      log: ctx.log,
      refreshIntervalMs: 20,
    });
    let told = 0;
    cache.onChange(() => {
      told += 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(told).toBe(0); // periodic reloads that find nothing new stay quiet
    await disable("note_list");
    await expect.poll(() => cache.get("note_list").enabled).toBe(false);
    expect(told).toBe(1);
    await cache.close();
  });

  it("lists every registered tool with its settings and defaults", async () => {
    await disable("note_get");
    const listed = await listToolSettings(ctx);
    expect(listed.map((tool) => tool.name)).toEqual(ctx.tools.all().map((tool) => tool.name));
    expect(listed.find((tool) => tool.name === "note_get")).toMatchObject({
      enabled: false,
      updatedBy: "test",
    });
    expect(listed.find((tool) => tool.name === "echo")).toMatchObject({
      enabled: true,
      readOnly: true,
      descriptionOverride: null,
      rateLimitPerMinute: null,
      updatedBy: null,
    });
  });
});
