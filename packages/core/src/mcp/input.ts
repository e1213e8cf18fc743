import {
  type CreateMessageRequestParams,
  CreateMessageResultSchema,
  type ElicitRequestFormParams,
  ElicitResultSchema,
  ListRootsResultSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { AppError } from "../errors.js";

/** Something a tool asks its client for: the user (elicitation), a model (sampling), or its roots. */
export type InputRequest =
  | { method: "elicitation/create"; params: ElicitRequestFormParams }
  | { method: "sampling/createMessage"; params: CreateMessageRequestParams }
  | { method: "roots/list"; params?: Record<string, never> };

/** Several requests at once, by keys the tool chooses (unique within the call). */
export type InputRequests = Record<string, InputRequest>;

/** The client's answers, by the keys of the requests. */
export type InputResponses = Record<string, unknown>;

/** Asks the client, as the era does it (see ClientChannel.ask). */
export type InputAsker = (requests: InputRequests) => Promise<InputResponses>;

export const CAPABILITY_OF: Record<InputRequest["method"], "elicitation" | "sampling" | "roots"> = {
  "elicitation/create": "elicitation",
  "sampling/createMessage": "sampling",
  "roots/list": "roots",
};

/** What a client's answer to each kind of request must look like. */
export const RESULT_SCHEMA_OF: Record<InputRequest["method"], z.ZodType> = {
  "elicitation/create": ElicitResultSchema,
  "sampling/createMessage": CreateMessageResultSchema,
  "roots/list": ListRootsResultSchema,
};

/**
 * Thrown by a tool's `ask` in MCP 2026-07-28 when some answers are not in the request yet: the call
 * ends, and is answered with an `input_required` result asking for them (see modern/input-round.ts).
 */
export class InputRequired extends Error {
  override readonly name = "InputRequired";
  constructor(readonly requests: InputRequests) {
    super(`input required: ${Object.keys(requests).join(", ")}`);
  }
}

/**
 * Thrown by a tool's `ask` in MCP 2026-07-28 when the client did not declare the capability the
 * question needs. An AppError INVALID, as in the 2025 eras, so a tool can catch it and do without;
 * one the tool lets through refuses the request with MissingRequiredClientCapabilityError (-32021).
 */
export class MissingClientCapability extends AppError {
  constructor(readonly capability: (typeof CAPABILITY_OF)[InputRequest["method"]]) {
    super("INVALID", `Missing required client capability: ${capability}`);
  }
}

/**
 * A tool that runs only as a task, called by a client that did not say it takes tasks: refused
 * (2026-07-28: MissingRequiredClientCapabilityError naming the tasks extension).
 */
export class TaskRequired extends AppError {
  constructor(message: string) {
    super("INVALID", message);
  }
}
