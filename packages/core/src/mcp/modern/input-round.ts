import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { AppError } from "../../errors.js";
import { canonical } from "../../tools/catalog/hash.js";
import {
  CAPABILITY_OF,
  type InputAsker,
  type InputRequest,
  InputRequired,
  type InputResponses,
  MissingClientCapability,
  RESULT_SCHEMA_OF,
} from "../input.js";
import { clientCapabilitiesOf } from "./envelope.js";

// How long a client has to answer: a person fills in a form, but state must not live forever.
const STATE_TTL_MS = 10 * 60_000;
// Answers travel in the state from round to round; this bounds what a client can make us verify.
const MAX_STATE_CHARS = 256 * 1024;

/**
 * What `requestState` carries, under an HMAC: who asked (principal), for what (tool or prompt, and
 * a digest of its arguments), until when, which requests were last asked (key → method), and every
 * answer given in earlier rounds. Bound to all of those, a state is refused on another call, for
 * another caller, or late (MCP 2026-07-28 §MRTR, Server Requirements 4 and 5).
 */
const State = z
  .object({
    v: z.literal(1),
    p: z.string(),
    t: z.string(),
    // The request, when not tools/call: absent in every state made before prompts could ask.
    m: z.literal("prompts/get").optional(),
    a: z.string(),
    e: z.number(),
    k: z.record(z.string(), z.enum(["elicitation/create", "sampling/createMessage", "roots/list"])),
    r: z.record(z.string(), z.unknown()),
  })
  .strict();
type State = z.infer<typeof State>;

/** What one `tools/call` (or `prompts/get`) is: bound into its state, so that a state fits only its own call. */
export interface InputCall {
  principal: string;
  /** The tool's name; for `prompts/get`, the prompt's. */
  tool: string;
  args: unknown;
  params: Record<string, unknown> | undefined;
  /** The request that asks; tools/call when absent. */
  method?: "tools/call" | "prompts/get" | undefined;
}

/** One round of a multi-round-trip call: the tool's `ask`, and the result for what it still needs. */
export interface InputRound {
  ask: InputAsker;
  inputRequired(missing: InputRequired): Record<string, unknown>;
}

/**
 * Signs and checks request states with one key. Replicas must share it to accept each other's
 * states: it is derived from RELAY_SECRET (which they share); without one, a key of this process's own.
 */
export function createInputRounds(secret: string | undefined) {
  const key = secret
    ? createHmac("sha256", secret).update("mcp-tools request state").digest()
    : randomBytes(32);
  const mac = (payload: string) => createHmac("sha256", key).update(payload).digest();

  function seal(state: State): string {
    const payload = Buffer.from(JSON.stringify(state)).toString("base64url");
    return `${payload}.${mac(payload).toString("base64url")}`;
  }

  function open(sealed: unknown, call: InputCall, now: number): State {
    const refuse = (why: string) =>
      new AppError("INVALID", `Invalid params for ${methodOf(call)}: requestState: ${why}`);
    if (typeof sealed !== "string" || sealed.length > MAX_STATE_CHARS)
      throw refuse("not one this server sent");
    const [payload = "", signature = ""] = sealed.split(".");
    const expected = mac(payload);
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw refuse("not one this server sent, or changed since");
    const state = State.safeParse(parseJson(Buffer.from(payload, "base64url").toString("utf8")));
    if (!state.success) throw refuse("not one this server sent");
    if (state.data.e < now) throw refuse("expired; send the request again without it");
    if (
      state.data.p !== call.principal ||
      state.data.t !== call.tool ||
      (state.data.m ?? "tools/call") !== methodOf(call) ||
      state.data.a !== digestOf(call.args)
    )
      throw refuse("belongs to another call");
    return state.data;
  }

  /** The round a `tools/call` (or `prompts/get`) opens: its answers so far, checked, from its state and its responses. */
  return function openRound(call: InputCall, now = Date.now()): InputRound {
    const sealed = call.params?.requestState;
    const state = sealed === undefined ? undefined : open(sealed, call, now);
    const responses = responsesOf(call.params?.inputResponses);
    const answers: InputResponses = { ...state?.r, ...freshAnswers(state, responses, methodOf(call)) };
    const capabilities = clientCapabilitiesOf(call.params);
    return {
      async ask(requests) {
        // Without a state, answers the client offered unasked are used where they fit what is
        // asked now: they come from the client either way, and bind nothing else.
        if (!state) {
          for (const [key, request] of Object.entries(requests)) {
            const offered = RESULT_SCHEMA_OF[request.method].safeParse(responses[key]);
            if (!(key in answers) && key in responses && offered.success) answers[key] = offered.data;
          }
        }
        const missing = Object.entries(requests).filter(([key]) => !(key in answers));
        if (missing.length === 0)
          return Object.fromEntries(Object.keys(requests).map((key) => [key, answers[key]]));
        for (const [, request] of missing) {
          const needed = CAPABILITY_OF[request.method];
          if (capabilities[needed] === undefined) throw new MissingClientCapability(needed);
        }
        throw new InputRequired(Object.fromEntries(missing));
      },
      inputRequired({ requests }) {
        const asked = Object.fromEntries(
          Object.entries(requests).map(([key, request]) => [key, request.method]),
        );
        const next = {
          v: 1 as const,
          p: call.principal,
          t: call.tool,
          ...(call.method === "prompts/get" && { m: call.method }),
          a: digestOf(call.args),
          e: now + STATE_TTL_MS,
        };
        return {
          resultType: "input_required",
          inputRequests: requests,
          requestState: seal({ ...next, k: asked, r: answers }),
        };
      },
    };
  };
}

/** The client's answers by key; anything else (null, a list) answers nothing, and is asked again. */
function responsesOf(responses: unknown): InputResponses {
  if (typeof responses !== "object" || responses === null || Array.isArray(responses)) return {};
  return responses as InputResponses;
}

/** The answers to what the state last asked, each checked against its kind's result; others are ignored. */
function freshAnswers(state: State | undefined, responses: InputResponses, method: string): InputResponses {
  if (!state) return {};
  const fresh: InputResponses = {};
  for (const [key, kind] of Object.entries(state.k)) {
    if (!(key in responses)) continue;
    const parsed = RESULT_SCHEMA_OF[kind as InputRequest["method"]].safeParse(responses[key]);
    if (!parsed.success)
      throw new AppError(
        "INVALID",
        `Invalid params for ${method}: inputResponses.${key}: not a ${kind} result`,
      );
    fresh[key] = parsed.data;
  }
  return fresh;
}

const methodOf = (call: InputCall) => call.method ?? "tools/call";

const digestOf = (args: unknown) =>
  createHash("sha256")
    .update(canonical(args ?? {}))
    .digest("base64url");

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
