import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "../errors.js";

/** Seals and opens secret values with one key; a sealed value is bound to its secret's name. */
export interface SecretCipher {
  seal(name: string, value: string): string;
  open(name: string, sealed: string): string;
}

const VERSION = "v1";

/**
 * AES-256-GCM (node:crypto) with a fresh 96-bit IV per value and the secret's name as associated
 * data: a sealed value copied onto another name, or altered, does not open.
 */
export function createSecretCipher(keyBase64: string): SecretCipher {
  const key = Buffer.from(keyBase64, "base64");
  if (key.length !== 32) throw new AppError("INVALID", "SECRETS_KEY must be 32 bytes in base64");
  return {
    seal(name, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(name, "utf8"));
      const data = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), data]
        .map((part) => (typeof part === "string" ? part : part.toString("base64")))
        .join(":");
    },
    open(name, sealed) {
      const [version, iv, tag, data] = sealed.split(":");
      if (version !== VERSION || !iv || !tag || data === undefined)
        throw new AppError("INTERNAL", `The secret ${name} is stored in a form this server does not read`);
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"))
          .setAAD(Buffer.from(name, "utf8"))
          .setAuthTag(Buffer.from(tag, "base64"));
        return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString(
          "utf8",
        );
      } catch (error) {
        throw new AppError("INTERNAL", `The secret ${name} does not open with this SECRETS_KEY`, {
          cause: error,
        });
      }
    },
  };
}
