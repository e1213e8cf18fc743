import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Config } from "./config.js";

describe(".env.example", () => {
  it("documents every configuration key", () => {
    const text = readFileSync(new URL("../../../../.env.example", import.meta.url), "utf8");
    const documented = [...text.matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.keys(Config.shape).sort());
  });
});
