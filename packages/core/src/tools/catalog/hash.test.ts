import { describe, expect, it } from "vitest";
import { builtinTools } from "../builtin.js";
import { describeTool } from "../registry.js";
import { canonical, versionHash } from "./hash.js";

// The hashes deployed databases hold for this build's built-in tools. A change to how tools are
// described (describeTool) that moves one sends every deployment's tool back to approval; a change
// to a tool itself is meant to, and updates its line here in the same commit.
const approved = {
  echo: "afe187e26e081615d370ca65875534dd0338b63c47388bd33e1081fa0fe543ba",
  note_save: "6bded88c4d11316ca34b4943f2495100dfa7a2eb12d245d4341ce29f228855c9",
  note_search: "8d7550e3ca8903244db5c2b80470df75df24228a24467c889308e60afbda8a08",
  note_get: "104f5908eae2b69afe3705bf34b7c5e3d98ae73dac28abc9301b6a5bfdf6f2d7",
  note_list: "218e2dd18d280000b43cdb9535ee92aeb2d265decf95ccaf41c4e59223c1c17c",
  note_delete: "d777b154ebbea69bbef99c4d0f0ad90206f459aa255dd9c4dfff093ce7808ebf",
};

describe("version hashes", () => {
  it("keeps the hash of every built-in tool as deployments approved it", () => {
    const hashes = Object.fromEntries(
      builtinTools.map((tool) => [tool.name, versionHash(describeTool(tool))]),
    );
    expect(hashes).toEqual(approved);
  });

  it("hashes the same definition the same whatever its key order, and another definition otherwise", () => {
    const [echo] = builtinTools.map(describeTool);
    if (!echo) throw new Error("no built-in tool");
    const reordered = JSON.parse(canonical(echo));
    expect(versionHash(reordered)).toBe(versionHash(echo));
    expect(versionHash({ ...echo, description: `${echo.description}.` })).not.toBe(versionHash(echo));
  });
});
