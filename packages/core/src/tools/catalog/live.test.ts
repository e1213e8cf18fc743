import { expect, it } from "vitest";
import type { AppContext } from "../../context.js";
import type { Db } from "../../db/client.js";
import { describeEachDatabase, openContextFor } from "../../testing/each-database.js";
import { builtinTools } from "../builtin.js";
import { createToolRegistry } from "../registry.js";
import { TOOLS_CHANGED_CHANNEL } from "../settings/cache.js";
import { startToolCatalog } from "./live.js";
import { proposeHttpTool } from "./propose.js";
import { decideToolVersion, servedVersions } from "./versions.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDatabase("the catalog's reload", (database) => {
  let ctx: AppContext;
  openContextFor(database, (opened) => {
    ctx = opened;
  });

  it("reads the versions' definitions only when the approved or superseded versions changed", async () => {
    let reads = 0;
    const versions = (db: Db) => {
      reads += 1;
      return servedVersions(db);
    };
    // A second process's catalog, on a registry of its own.
    const tools = createToolRegistry(builtinTools);
    const catalog = await startToolCatalog({ ...ctx, tools }, builtinTools, {
      refreshIntervalMs: 20,
      versions,
    });
    try {
      expect(reads).toBe(1);
      await ctx.bus.publish(TOOLS_CHANGED_CHANNEL, "echo");
      await pause(150); // several periodic reloads and the announced one
      expect(reads).toBe(1);

      const proposed = await proposeHttpTool(
        ctx,
        {
          name: "status_get",
          title: "Status",
          description: "The service's status",
          inputSchema: { type: "object" },
          annotations: { readOnlyHint: true },
          request: { method: "GET", url: "http://127.0.0.1:9/status" },
        },
        "alice",
      );
      await pause(100);
      expect(reads).toBe(1); // a pending version is neither served nor pinnable
      await decideToolVersion(ctx, proposed.id, "approve", "bob");
      await expect.poll(() => tools.get("status_get")?.name).toBe("status_get");
      expect(reads).toBe(2);
    } finally {
      await catalog.close();
    }
  });
});
