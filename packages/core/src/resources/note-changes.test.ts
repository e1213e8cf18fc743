import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppContext } from "../context.js";
import { callTool } from "../mcp/call-tool.js";
import { localPrincipal } from "../mcp/principal.js";
import { createTestContext } from "../testing/context.js";
import { noteUri, taggedUri } from "./note-uri.js";

let ctx: AppContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const call = async (name: string, args: Record<string, unknown>) => {
  const result = await callTool(ctx, name, args, {
    principal: localPrincipal,
    transport: "stdio",
    signal: new AbortController().signal,
  });
  expect(result.isError).toBeUndefined();
  return result.structuredContent as { id: string };
};

/** Every URI the resource updates tell of while `work` runs, of those watched. */
async function toldOf(uris: string[], work: () => Promise<unknown>): Promise<string[]> {
  const told: string[] = [];
  const stops = uris.map((uri) => ctx.resourceUpdates.watch(uri, () => told.push(uri)));
  try {
    await work();
    await new Promise((resolve) => setImmediate(resolve));
    return told.sort();
  } finally {
    for (const stop of stops) stop();
  }
}

describe("a note's change reaches the subscribers of the lists of its tags", () => {
  it("on create, on a change of tags (old and new lists), and on delete", async () => {
    const [work, home] = [taggedUri("work"), taggedUri("home")];
    let id = "";
    const created = await toldOf([work, home], async () => {
      id = (await call("note_save", { title: "Plan", tags: ["work"] })).id;
    });
    expect(created).toEqual([work]);
    const retagged = await toldOf([work, home, noteUri(id)], () => call("note_save", { id, tags: ["home"] }));
    expect(retagged).toEqual([home, noteUri(id), work].sort());
    const deleted = await toldOf([work, home, noteUri(id)], () => call("note_delete", { id }));
    expect(deleted).toEqual([home, noteUri(id)].sort());
  });
});
