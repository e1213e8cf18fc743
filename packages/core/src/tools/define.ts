import type { ContentBlock, LoggingLevel, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { Db } from "../db/client.js";
import type { Logger } from "../log/log.js";
import type { InputRequests, InputResponses } from "../mcp/input.js";

/** What a tool's `run` may use: data access and a logger, never a transport or a session. */
export interface ToolContext {
  db: Db;
  log: Logger;
  /** Aborted when the call times out or the client cancels it. */
  signal: AbortSignal;
  /**
   * Tells the client how far the call has come, if it asked to know (a progress token, in any era);
   * otherwise does nothing. `done` must grow from one report to the next: one that does not is
   * dropped, as is any after the call has ended.
   */
  progress(done: number, total?: number, message?: string): void;
  /**
   * Sends a log message to the client (not the server's log: that is `log`), if it asked for
   * messages of this level and above (`logging/setLevel` in the 2025 eras, the request's
   * `io.modelcontextprotocol/logLevel` in 2026-07-28); otherwise does nothing.
   */
  clientLog(level: LoggingLevel, data: unknown, logger?: string): void;
  /** Tells the clients subscribed to the resource at `uri`, on every replica, that it changed. */
  resourceChanged(uri: string): void;
  /**
   * Asks the client for input: the user (`elicitation/create`), a model (`sampling/createMessage`)
   * or its roots (`roots/list`), several at once by keys of the tool's choosing; resolves to the
   * answers by the same keys. In the 2025 eras each is a request to the client in its session. In
   * 2026-07-28 the call ends with an `input_required` result, and runs again from the start when the
   * client retries with the answers (on whichever replica): what a tool does before it asks must be
   * safe to repeat, and what `ask` throws must reach the framework (catch AppErrors only). Throws an
   * AppError INVALID when the client declared no support for the kind.
   */
  ask(requests: InputRequests): Promise<InputResponses>;
}

export type { ContentBlock, InputRequests, InputResponses, LoggingLevel };

type ObjectSchema = z.ZodObject;

/** A tool as plain data: schemas, annotations and a function from input to output. */
export interface ToolDefinition<
  I extends ObjectSchema = ObjectSchema,
  O extends ObjectSchema = ObjectSchema,
> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(ctx: ToolContext, input: z.output<I>): Promise<z.input<O>>;
  /** The readable text block sent beside `structuredContent`; JSON when omitted. */
  text?(output: z.output<O>): string;
  /**
   * The content blocks sent beside `structuredContent` instead of `text`'s one: images, audio,
   * embedded resources, resource links, several blocks.
   */
  content?(output: z.output<O>): ContentBlock[];
  /**
   * Runs as a task for a client that takes tasks (MCP's tasks extension): the call answers at once
   * with the task, which runs on and is polled, answered and cancelled from any replica.
   * "optional": a client that does not take tasks gets the result in the request, as for any tool;
   * "required": such a client is refused.
   */
  task?: "optional" | "required";
  /**
   * For a task: what runs in the request before the task starts (asking the client what it needs,
   * say); its output is `run`'s input. Without it the task starts at once.
   */
  prepare?(ctx: ToolContext, input: z.output<I>): Promise<z.output<I>>;
}

/** Identity with types: keeps each tool file's input and output types checked against its schemas. */
export function defineTool<I extends ObjectSchema, O extends ObjectSchema>(
  tool: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return tool;
}

/** Any tool, once its precise types no longer matter (lists, registries). */
// biome-ignore lint/suspicious/noExplicitAny: variance: a tool of any input type belongs in the list.
export type AnyTool = ToolDefinition<any, any>;
