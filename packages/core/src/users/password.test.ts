import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password.js";

const cheap = { N: 1024, r: 8, p: 1 };

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery", cheap);
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse batterY", stored)).toBe(false);
  });

  it("salts each hash and records its parameters in it", async () => {
    const [a, b] = await Promise.all([
      hashPassword("same password", cheap),
      hashPassword("same password", cheap),
    ]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await hashPassword("defaults are strong")).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it("answers false for a malformed stored hash instead of throwing", async () => {
    for (const stored of [
      "",
      "bcrypt$x",
      "scrypt$0$8$1$abc$def",
      "scrypt$abc$8$1$abc$def",
      "scrypt$1024$8$1$$",
    ]) {
      expect(await verifyPassword("anything", stored)).toBe(false);
    }
  });
});
