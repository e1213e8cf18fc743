import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../errors.js";

// base64url JSON: { k: which listing, f: hash of its filters, p: the last row's sort key }.
// Opaque to clients; the filter hash catches a cursor replayed against a different query.
const envelope = z.object({ k: z.string(), f: z.string(), p: z.unknown() }).strict();

const hashOf = (filters: unknown) =>
  createHash("sha256").update(JSON.stringify(filters)).digest("base64url").slice(0, 12);

/** A cursor that resumes `kind` after `position`, valid only with the same `filters`. */
export function encodeCursor(kind: string, filters: unknown, position: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, f: hashOf(filters), p: position })).toString("base64url");
}

/** The position inside `cursor`; an AppError INVALID naming the field when it is not one of ours. */
export function decodeCursor<T>(cursor: string, kind: string, filters: unknown, position: z.ZodType<T>): T {
  const decoded = envelope.safeParse(parseJson(Buffer.from(cursor, "base64url").toString("utf8")));
  const parsed = decoded.success && decoded.data.k === kind ? position.safeParse(decoded.data.p) : undefined;
  if (!decoded.success || !parsed?.success) {
    throw new AppError(
      "INVALID",
      `cursor: not a valid ${kind} cursor; pass nextCursor from the previous page unchanged`,
    );
  }
  if (decoded.data.f !== hashOf(filters)) {
    throw new AppError(
      "INVALID",
      `cursor: belongs to a ${kind} call with different filters; repeat the same query and tag, or start without a cursor`,
    );
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
