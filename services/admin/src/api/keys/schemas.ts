import { z } from "@hono/zod-openapi";
import { KeyScope } from "@mcp-tools/core";
import { IdParam } from "../responses.js";

const stamp = z.string().openapi({ format: "date-time" });

/** An API key as the API shows one: never its secret or the secret's hash. */
export const ApiKey = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    name: z.string(),
    prefix: z.string().openapi({ description: "The secret's first characters, to tell keys apart" }),
    scope: KeyScope,
    rateLimitPerMinute: z.number().int().nullable(),
    pinnedVersions: z.record(z.string(), z.string()).openapi({ description: "Tool name → version hash" }),
    expiresAt: stamp.nullable(),
    revokedAt: stamp.nullable(),
    lastUsedAt: stamp.nullable(),
    createdBy: z.string(),
    createdAt: stamp,
  })
  .openapi("ApiKey");

export const KeyResponse = z.object({ key: ApiKey });

export const KeyIdParam = IdParam("The key's id");
