import { createHash } from "node:crypto";

/**
 * What stands for a session on the bus, in the directory and in relayed requests: a session id is
 * a bearer secret, so whoever reads Redis sees only its hash.
 */
export const sessionKey = (id: string) => createHash("sha256").update(id).digest("base64url");
