import { z } from "@hono/zod-openapi";
import { portabilityIssues, type ToolVersion as ToolVersionRow } from "@mcp-tools/core/catalog";

// What clients see (name, title, description, schemas, annotations), and for an HTTP tool where it
// calls; typed `unknown` as core's JSON column has it, documented as the object it always is.
const Definition = z.unknown().openapi({ type: "object" });

/** One definition a tool has had, pending until an admin approves it. */
export const ToolVersion = z
  .object({
    id: z.string().openapi({ format: "uuid" }),
    toolId: z.string().openapi({ description: "`builtin:<name>`, or a uuid for an HTTP tool" }),
    kind: z.enum(["builtin", "http"]),
    name: z.string(),
    hash: z.string().openapi({ description: "SHA-256 of what clients see; what keys pin" }),
    definition: Definition,
    status: z.enum(["pending", "approved", "superseded", "rejected"]),
    createdAt: z.string().openapi({ format: "date-time" }),
    createdBy: z.string(),
    decidedAt: z.string().nullable().openapi({ format: "date-time" }),
    decidedBy: z.string().nullable(),
  })
  .openapi("ToolVersion");

/** A schema construct some model providers would not take, and what to write instead. */
export const PortabilityIssue = z
  .object({
    path: z.string().openapi({ description: "JSON Pointer" }),
    problem: z.string(),
    suggestion: z.string(),
  })
  .openapi("PortabilityIssue");

/** A proposal as the API answers it: the pending version and what of its schemas does not port. */
export const Proposal = z.object({ version: ToolVersion, portability: z.array(PortabilityIssue) });

/** A proposed version and its portability issues, as the API answers a proposal. */
export function proposed(version: ToolVersionRow) {
  const definition = version.definition as { inputSchema?: unknown; outputSchema?: unknown };
  return {
    version,
    portability: [
      ...portabilityIssues(definition.inputSchema),
      ...portabilityIssues(definition.outputSchema ?? {}),
    ],
  };
}
