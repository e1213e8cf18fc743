import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./log.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe("createLogger", () => {
  it("redacts authorization headers, cookies, passwords, tokens and API keys", () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    log.info(
      {
        req: { headers: { authorization: "Bearer sk-live", cookie: "sid=1" } },
        user: { password: "hunter2", apiKey: "k-123" },
        token: "t-1",
        tool: "echo",
      },
      "call",
    );
    const text = lines.join("");
    for (const secret of ["sk-live", "sid=1", "hunter2", "k-123", "t-1"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
    expect(JSON.parse(text).tool).toBe("echo");
  });
});
