import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

export interface SmallFormOptions {
  /** Largest body accepted; a name, a password or two and a return path fit many times over. */
  maxBytes?: number;
}

/**
 * 413 for a sign-in, setup or password form larger than any real one, before a byte of it is
 * parsed: a body of megabytes costs the server nothing but reading it.
 */
export function smallForm({ maxBytes = 16 * 1024 }: SmallFormOptions = {}): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => c.json({ error: { code: "INVALID", message: "The form is too large" } }, 413),
  });
}
