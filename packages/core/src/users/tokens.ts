import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes in base64url: a session, CSRF or setup token. */
export const randomToken = (): string => randomBytes(32).toString("base64url");

/** What the database keeps of a token: its SHA-256, so a leaked table grants no access. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
