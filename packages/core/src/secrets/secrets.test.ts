import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { adminAudit, secrets } from "../db/schema.js";
import { describeEachDatabase } from "../testing/each-database.js";
import { createSecretCipher } from "./cipher.js";
import { deleteSecret, listSecrets, readSecret, setSecret } from "./store.js";

const KEY = randomBytes(32).toString("base64");
const TOKEN = "tok_live_1234567890";

it("seals a value so that it opens only under its own name, unaltered, with the same key", () => {
  const cipher = createSecretCipher(KEY);
  const sealed = cipher.seal("TICKETS_TOKEN", TOKEN);
  expect(sealed).not.toContain(TOKEN);
  expect(cipher.seal("TICKETS_TOKEN", TOKEN)).not.toBe(sealed);
  expect(cipher.open("TICKETS_TOKEN", sealed)).toBe(TOKEN);
  expect(() => cipher.open("OTHER", sealed)).toThrow("The secret OTHER does not open with this SECRETS_KEY");
  const [version, iv, tag, data] = sealed.split(":");
  const flipped = Buffer.from(data ?? "", "base64");
  flipped[0] = (flipped[0] ?? 0) ^ 1;
  expect(() =>
    cipher.open("TICKETS_TOKEN", [version, iv, tag, flipped.toString("base64")].join(":")),
  ).toThrow(/does not open/);
  expect(() => createSecretCipher(randomBytes(32).toString("base64")).open("TICKETS_TOKEN", sealed)).toThrow(
    /does not open/,
  );
});

describeEachDatabase("secrets", (database) => {
  it("are set, listed by name only, read by tools, replaced and deleted, with audit rows that hold no value", async () => {
    const { ctx, close } = await database.open({ SECRETS_KEY: KEY });
    try {
      await setSecret(ctx, "TICKETS_TOKEN", TOKEN, "alice");
      expect(await listSecrets(ctx)).toEqual([
        { name: "TICKETS_TOKEN", updatedAt: expect.any(Date), updatedBy: "alice" },
      ]);
      expect(await readSecret(ctx, "TICKETS_TOKEN")).toBe(TOKEN);
      await setSecret(ctx, "TICKETS_TOKEN", "rotated", "bob");
      expect(await readSecret(ctx, "TICKETS_TOKEN")).toBe("rotated");
      await deleteSecret(ctx, "TICKETS_TOKEN", "bob");
      expect(await readSecret(ctx, "TICKETS_TOKEN")).toBeUndefined();
      await expect(deleteSecret(ctx, "TICKETS_TOKEN", "bob")).rejects.toThrow(
        "No secret named TICKETS_TOKEN",
      );
      const actions = await ctx.db.db.select().from(adminAudit);
      expect(actions.map((row) => row.action)).toEqual(["secret.create", "secret.replace", "secret.delete"]);
      expect(JSON.stringify(actions)).not.toMatch(/tok_live|rotated/);
    } finally {
      await close();
    }
  });

  it("keeps only the sealed value in the table", async () => {
    const { ctx, close } = await database.open({ SECRETS_KEY: KEY });
    try {
      await setSecret(ctx, "API_KEY", TOKEN, "alice");
      const rows = await ctx.db.db.select().from(secrets);
      expect(JSON.stringify(rows)).not.toContain(TOKEN);
    } finally {
      await close();
    }
  });

  it("refuses a bad name or an empty value, and says what to set when there is no SECRETS_KEY", async () => {
    const { ctx, close } = await database.open();
    try {
      await expect(setSecret(ctx, "TOKEN", TOKEN, "alice")).rejects.toThrow(
        "Secrets need SECRETS_KEY set (32 random bytes in base64: openssl rand -base64 32)",
      );
      const keyed = { ...ctx, config: { ...ctx.config, SECRETS_KEY: KEY } };
      await expect(setSecret(keyed, "bad name", TOKEN, "alice")).rejects.toThrow(/^name: letters, digits/);
      await expect(setSecret(keyed, "EMPTY", "", "alice")).rejects.toThrow(/^value: /);
    } finally {
      await close();
    }
  });
});
