import type { AdminSession, PromptEntry } from "@mcp-tools/core";
import { formatTime } from "./dashboard-format.js";
import { Layout, Message } from "./layout.js";
import { type PromptDraft, PromptForm } from "./prompt-form.js";

export interface PromptsPageProps {
  session: AdminSession;
  prompts: PromptEntry[];
  /** The new prompt as last typed, when the form comes back with an error. */
  name?: string | undefined;
  draft?: PromptDraft | undefined;
  error?: string | undefined;
  notice?: string | undefined;
}

/** A new prompt starts from the form's empty rows. */
const NEW_PROMPT: PromptDraft = { arguments: [], messages: [] };

/** How a prompt's state reads: served in green, not served in red. */
export const promptState = (enabled: boolean) =>
  enabled ? <span class="status ok">enabled</span> : <span class="status bad">disabled</span>;

/** The prompt library: every prompt in a table, each name leading to its page, and a new prompt's form. */
export function PromptsPage({ session, prompts, name, draft, error, notice }: PromptsPageProps) {
  const canChange = session.user.role !== "viewer";
  return (
    <Layout title="Prompts" session={session} current="/prompts">
      <h1>Prompts</h1>
      <p class="muted">
        Templates people pick from their client's menu: MCP clients list the enabled prompts and get one with
        its arguments filled in. Every change is a new version, and clients are told at once.
      </p>
      <Message error={error} notice={notice} />
      {prompts.length === 0 ? (
        <p class="panel muted">No prompts yet.</p>
      ) : (
        <table class="prompts">
          <thead>
            <tr>
              <th>Name</th>
              <th>Title</th>
              <th>State</th>
              <th>Version</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {prompts.map((prompt) => (
              <tr id={`prompt-${prompt.name}`}>
                <td>
                  <a href={`/prompts/${encodeURIComponent(prompt.name)}`}>
                    <strong>{prompt.name}</strong>
                  </a>
                </td>
                <td>{prompt.definition.title ?? "–"}</td>
                <td>{promptState(prompt.enabled)}</td>
                <td>{String(prompt.currentVersion)}</td>
                <td>{`${formatTime(prompt.updatedAt)} · ${prompt.updatedBy}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canChange ? (
        <>
          <h2 id="new">New prompt</h2>
          <PromptForm
            session={session}
            action="/prompts"
            name={name ?? ""}
            draft={draft ?? NEW_PROMPT}
            button="Create prompt"
          />
        </>
      ) : (
        <p class="muted">Operators and admins create and change prompts.</p>
      )}
    </Layout>
  );
}
