import { describe, expect, it } from "vitest";
import { jsonTemplate, Template } from "./template.js";

describe("templates", () => {
  it("fills every placeholder, each value encoded, and names the secrets it sends", () => {
    const url = new Template("https://api.test/{org}/items/{id}?q={id}");
    expect(url.fill({ org: "a b", id: 7 }, encodeURIComponent)).toBe("https://api.test/a%20b/items/7?q=7");
    const header = new Template("{scheme} {secret:TOKEN}");
    expect(header.secrets).toEqual(["TOKEN"]);
    expect(header.fill({ scheme: "Bearer" }, undefined, new Map([["TOKEN", "t0k"]]))).toBe("Bearer t0k");
    expect(new Template("plain").fill({})).toBe("plain");
  });

  it("is undefined when an argument or a secret it names is missing", () => {
    expect(new Template("/items/{id}").fill({ id: null })).toBeUndefined();
    expect(new Template("/items/{id}").fill({})).toBeUndefined();
    expect(new Template("Bearer {secret:TOKEN}").fill({})).toBeUndefined();
  });

  it("builds a JSON body with typed arguments, leaving out members whose value is missing", () => {
    const body = jsonTemplate({
      title: "{q}",
      priority: "{priority}",
      note: "from {id}",
      tags: ["{q}", "{missing}", 1],
      ["__proto__"]: "{q}",
    });
    expect(JSON.stringify(body({ q: "Printer", priority: 2 }))).toBe(
      '{"title":"Printer","priority":2,"tags":["Printer",1],"__proto__":"Printer"}',
    );
  });
});
