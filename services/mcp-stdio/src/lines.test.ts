import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readLines } from "./lines.js";

function reader(maxBytes = 16) {
  const input = new PassThrough();
  const lines: string[] = [];
  let oversized = 0;
  const handle = readLines(input, {
    maxBytes,
    onLine: (line) => lines.push(line),
    onOversized: () => {
      oversized += 1;
    },
  });
  return { input, lines, handle, oversized: () => oversized };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("readLines", () => {
  it("takes lines split across chunks, without their CR or empty lines", async () => {
    const { input, lines } = reader();
    input.write("one\r\ntw");
    input.write("o\n\nthree\n");
    await settle();
    expect(lines).toEqual(["one", "two", "three"]);
  });

  it("drops a line longer than the limit whole, says so once, and goes on with the next", async () => {
    const { input, lines, oversized } = reader(8);
    input.write("a".repeat(6));
    input.write("b".repeat(6));
    input.write("c".repeat(20));
    input.write("\nok\n");
    await settle();
    expect(lines).toEqual(["ok"]);
    expect(oversized()).toBe(1);
  });

  it("hands what follows a detach, the rest of its chunk included, to the next reader", async () => {
    const input = new PassThrough();
    const rests: Buffer[] = [];
    const handle = readLines(input, {
      maxBytes: 64,
      onLine: () => rests.push(handle.detach()),
      onOversized: () => {},
    });
    input.write("first\nsecond\nthi");
    await settle();
    expect(rests.map((rest) => rest.toString())).toEqual(["second\nthi"]);
  });

  it("takes no line while paused, and goes on from the same place on resume", async () => {
    const input = new PassThrough();
    const lines: string[] = [];
    const handle = readLines(input, {
      maxBytes: 64,
      onLine(line) {
        lines.push(line);
        if (line === "first") handle.pause();
      },
      onOversized: () => {},
    });
    input.write("first\nsecond\nthi");
    await settle();
    input.write("rd\n");
    await settle();
    expect(lines).toEqual(["first"]);
    handle.resume();
    await settle();
    expect(lines).toEqual(["first", "second", "third"]);
  });
});
