import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_PATTERN = /^mcpt_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** A new secret `mcpt_<prefix>_<random>`: the prefix names the key in lists and logs, 32 random bytes guard it. */
export function generateSecret(random: (size: number) => Buffer = randomBytes): {
  prefix: string;
  secret: string;
} {
  const prefix = [...random(8)].map((byte) => PREFIX_ALPHABET[byte % PREFIX_ALPHABET.length]).join("");
  return { prefix, secret: `mcpt_${prefix}_${random(32).toString("base64url")}` };
}

/** The prefix of a well-formed secret, or undefined: a malformed token never reaches the database. */
export function prefixOf(secret: string): string | undefined {
  return SECRET_PATTERN.exec(secret)?.[1];
}

// A plain SHA-256 is enough for 256 random bits: there is nothing to brute-force, unlike a password.
export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

/** Compares in constant time, so response timing tells nothing about how much of a hash matched. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return given.length === stored.length && timingSafeEqual(given, stored);
}
