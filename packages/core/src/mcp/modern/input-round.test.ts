import { describe, expect, it } from "vitest";
import { type InputRequests, InputRequired } from "../input.js";
import { createInputRounds } from "./input-round.js";

const confirm: InputRequests = {
  confirm: {
    method: "elicitation/create",
    params: { mode: "form", message: "Sure?", requestedSchema: { type: "object", properties: {} } },
  },
};
const capabilities = { _meta: { "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } } };
const call = (params: Record<string, unknown> = {}) => ({
  principal: "key:abcd",
  tool: "confirm",
  args: { action: "A", nested: { b: 1, a: 2 } },
  params: { ...capabilities, ...params },
});

/** The state of the input_required result for `confirm`, sealed at `now`. */
function firstState(rounds: ReturnType<typeof createInputRounds>, now: number): string {
  const round = rounds(call(), now);
  const missing = new InputRequired(confirm);
  return round.inputRequired(missing).requestState as string;
}

describe("request state across rounds", () => {
  it("carries the answers, and accepts the same arguments in another key order", async () => {
    const rounds = createInputRounds("s".repeat(40));
    const requestState = firstState(rounds, 1_000);
    const round = rounds(
      {
        ...call({ requestState, inputResponses: { confirm: { action: "accept", content: {} }, extra: 1 } }),
        args: { nested: { a: 2, b: 1 }, action: "A" },
      },
      2_000,
    );
    await expect(round.ask(confirm)).resolves.toEqual({ confirm: { action: "accept", content: {} } });
  });

  it("refuses a state past its ten minutes, one signed with another secret, and asks for what is missing", async () => {
    const rounds = createInputRounds("s".repeat(40));
    const requestState = firstState(rounds, 1_000);
    expect(() => rounds(call({ requestState }), 1_000 + 10 * 60_000 + 1)).toThrow(/requestState: expired/);
    const elsewhere = createInputRounds("t".repeat(40));
    expect(() => elsewhere(call({ requestState }), 2_000)).toThrow(/requestState: not one this server sent/);
    // A retry without the answer is asked again, not refused.
    await expect(rounds(call({ requestState }), 2_000).ask(confirm)).rejects.toBeInstanceOf(InputRequired);
  });

  it("refuses a tool's state on a prompt of the same name and arguments, and the other way round", () => {
    const rounds = createInputRounds("s".repeat(40));
    const forTool = firstState(rounds, 1_000);
    const prompt = { ...call(), method: "prompts/get" as const };
    const forPrompt = rounds(prompt, 1_000).inputRequired(new InputRequired(confirm)).requestState;
    expect(() => rounds({ ...prompt, params: { requestState: forTool } }, 2_000)).toThrow(
      /^Invalid params for prompts\/get: requestState: belongs to another call/,
    );
    expect(() => rounds(call({ requestState: forPrompt }), 2_000)).toThrow(
      /^Invalid params for tools\/call: requestState: belongs to another call/,
    );
    expect(() => rounds({ ...prompt, params: { requestState: forPrompt } }, 2_000)).not.toThrow();
  });

  it("does not ask a client for what it declared no support for", async () => {
    const rounds = createInputRounds(undefined);
    const round = rounds({ ...call(), params: {} });
    await expect(round.ask(confirm)).rejects.toMatchObject({ code: "INVALID", capability: "elicitation" });
  });
});
