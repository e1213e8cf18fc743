import { expect } from "vitest";
import type { AppContext } from "../context.js";
import { updateToolSettings } from "../tools/settings/update.js";
import { type Answer, answerOf, placeholders, type Refusal, refusalOf, withoutMeta } from "./era-answers.js";

// Its own entry, not in "./testing": it needs vitest, which code outside tests (the bench) must not load.
export { coreClient } from "./core-client.js";
export type { Answer, Refusal } from "./era-answers.js";

/** What the scenario asks of a client: SDK v1's and v2's `Client` both fit, as does `coreClient`. */
export interface ScenarioClient {
  listTools(): Promise<{ tools: readonly object[] }>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<object>;
}

/** A client connected for a test, and what SDK v2 says it negotiated (SDK v1 speaks only 2025 eras). */
export interface ConnectedClient {
  client: ScenarioClient;
  era?: "modern" | "legacy";
  close(): Promise<void>;
}

/** Everything the scenario saw, with the saved note's id and every timestamp replaced by a placeholder. */
export interface EraTranscript {
  tools: unknown[];
  echo: Answer;
  noteSave: Answer;
  noteGet: Answer;
  noteSearch: Answer;
  noteList: Answer;
  noteDelete: Answer;
  badArgument: Answer;
  unknownTool: Refusal;
  /** Only where the test can change the server's tool settings. */
  disabledTool?: Refusal;
}

export interface EraScenarioOptions {
  /** The server's own context, to disable a tool in its settings; without it that step is left out. */
  settings?: Pick<AppContext, "db" | "bus" | "tools" | "toolSettings">;
}

const NOTE = { title: "Era matrix", body: "Every era gives the same answers.", tags: ["era-matrix"] };
const ECHOED = "same on every era";
const UNKNOWN = "no_such_tool";
// The tool the settings step disables, then enables again.
const DISABLED = "echo";

/**
 * Lists the tools, calls every built-in tool (the note tools on the note it saves), sends a bad
 * argument, calls an unknown tool and, given `settings`, a disabled one; checks the answers make
 * sense and returns them for comparison with another client's. It deletes the note it saved, so
 * clients of one server can run it one after another and see the same notes.
 */
export async function runEraScenario(
  client: ScenarioClient,
  { settings }: EraScenarioOptions = {},
): Promise<EraTranscript> {
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
  const { tools } = await client.listTools();
  const echo = answerOf(await call("echo", { text: ECHOED }));
  const noteSave = answerOf(await call("note_save", NOTE));
  const id = (noteSave.structuredContent as { id?: unknown } | undefined)?.id;
  expect(typeof id, `note_save answered ${JSON.stringify(noteSave)}`).toBe("string");
  let deleted = false;
  try {
    const transcript: EraTranscript = {
      tools: tools.map(withoutMeta),
      echo,
      noteSave,
      noteGet: answerOf(await call("note_get", { id })),
      noteSearch: answerOf(await call("note_search", { q: "eras" })),
      noteList: answerOf(await call("note_list", { tag: NOTE.tags[0] })),
      noteDelete: answerOf(await call("note_delete", { id })),
      badArgument: answerOf(await call("echo", { text: 5 })),
      unknownTool: await refusalOf(call(UNKNOWN, {})),
    };
    deleted = transcript.noteDelete.isError !== true;
    if (settings)
      transcript.disabledTool = await whileDisabled(settings, () => call(DISABLED, { text: ECHOED }));
    expectSensible(transcript, String(id), settings !== undefined);
    return placeholders(transcript, String(id));
  } finally {
    // A run that failed half-way must not leave its note in the next client's list.
    if (!deleted) await call("note_delete", { id }).catch(() => undefined);
  }
}

async function whileDisabled(
  settings: NonNullable<EraScenarioOptions["settings"]>,
  run: () => Promise<object>,
) {
  await updateToolSettings(settings, DISABLED, { enabled: false }, "era-matrix");
  try {
    return await refusalOf(run());
  } finally {
    await updateToolSettings(settings, DISABLED, { enabled: true }, "era-matrix");
  }
}

/**
 * Disables a tool and expects the client's tool list to lose it within `withinMs`, then to show it
 * again once enabled. On the 2026-07-28 era the list a client holds is its cache, which only a
 * `list_changed` on its subscription invalidates early: the client must be listening.
 */
export async function expectListFollowsSettings(
  client: ScenarioClient,
  settings: NonNullable<EraScenarioOptions["settings"]>,
  withinMs = 1_000,
): Promise<void> {
  const names = async () => (await client.listTools()).tools.map((tool) => (tool as { name?: unknown }).name);
  expect(await names()).toContain(DISABLED);
  await updateToolSettings(settings, DISABLED, { enabled: false }, "era-matrix");
  try {
    await expect.poll(names, { timeout: withinMs, interval: 20 }).not.toContain(DISABLED);
  } finally {
    await updateToolSettings(settings, DISABLED, { enabled: true }, "era-matrix");
  }
  await expect.poll(names, { timeout: withinMs, interval: 20 }).toContain(DISABLED);
}

/** The facts every client must see, whatever the others saw: a transcript that is merely alike is not enough. */
function expectSensible(transcript: EraTranscript, id: string, disabled: boolean) {
  const names = transcript.tools.map((tool) => (tool as { name?: unknown }).name);
  expect(names).toEqual(
    expect.arrayContaining(["echo", "note_save", "note_search", "note_get", "note_list", "note_delete"]),
  );
  expect(transcript.echo).toMatchObject({ content: [{ type: "text", text: ECHOED }] });
  expect(transcript.echo.structuredContent).toEqual({ text: ECHOED });
  expect(transcript.noteGet.structuredContent).toMatchObject({ ...NOTE, id });
  expect(transcript.noteSearch.structuredContent).toMatchObject({ results: [{ id, title: NOTE.title }] });
  expect(transcript.noteList.structuredContent).toMatchObject({ notes: [{ id, title: NOTE.title }] });
  expect(transcript.noteDelete.structuredContent).toEqual({ deleted: true, id });
  expect(transcript.badArgument).toMatchObject({
    isError: true,
    content: [{ type: "text", text: expect.stringContaining("text: Invalid input: expected string") }],
  });
  expect(transcript.unknownTool).toEqual({ code: -32602, message: `Unknown tool: ${UNKNOWN}` });
  // A disabled tool answers as a missing one: a caller cannot tell hidden tools from absent ones.
  if (disabled)
    expect(transcript.disabledTool).toEqual({ code: -32602, message: `Unknown tool: ${DISABLED}` });
}
