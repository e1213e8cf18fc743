import type { AdminSession, PromptEntry, PromptVersion } from "@mcp-tools/core";
import { formatTime } from "./dashboard-format.js";
import { CsrfField, Layout, Message } from "./layout.js";
import { type PromptDraft, PromptForm } from "./prompt-form.js";
import { promptState } from "./prompts-view.js";
import { prettyDefinition, VersionDiff } from "./version-diff.js";

export interface PromptPageProps {
  session: AdminSession;
  prompt: PromptEntry;
  /** Newest first. */
  versions: PromptVersion[];
  /** The definition as last typed, when the form comes back with an error; else the current one. */
  draft?: PromptDraft | undefined;
  error?: string | undefined;
  notice?: string | undefined;
}

/** One prompt: its state, its definition to change, and its versions to compare and roll back to. */
export function PromptPage({ session, prompt, versions, draft, error, notice }: PromptPageProps) {
  const canChange = session.user.role !== "viewer";
  const base = `/prompts/${encodeURIComponent(prompt.name)}`;
  return (
    <Layout title={prompt.name} session={session} current="/prompts">
      <p>
        <a href="/prompts">← All prompts</a>
      </p>
      <h1>
        {prompt.name} {promptState(prompt.enabled)}
      </h1>
      <Message error={error} notice={notice} />
      <p class="muted">
        Version {prompt.currentVersion}, saved {formatTime(prompt.updatedAt)} by {prompt.updatedBy}.{" "}
        {prompt.enabled ? "Clients list it and get it." : "Clients neither list it nor get it."}
      </p>
      {canChange ? (
        <>
          <form class="inline" method="post" action={`${base}/${prompt.enabled ? "disable" : "enable"}`}>
            <CsrfField session={session} />
            <button class={prompt.enabled ? "danger" : undefined} type="submit">
              {prompt.enabled ? "Disable" : "Enable"}
            </button>
          </form>
          <h2>Definition</h2>
          <PromptForm
            session={session}
            action={base}
            draft={draft ?? prompt.definition}
            button="Save as a new version"
          />
        </>
      ) : (
        <>
          <h2>Definition</h2>
          <pre class="definition">{prettyDefinition(prompt.definition)}</pre>
        </>
      )}
      <h2>Versions</h2>
      <VersionTable prompt={prompt} versions={versions} canChange={canChange} session={session} base={base} />
    </Layout>
  );
}

function VersionTable(props: {
  session: AdminSession;
  prompt: PromptEntry;
  versions: PromptVersion[];
  canChange: boolean;
  base: string;
}) {
  const { session, prompt, versions, canChange, base } = props;
  const current = prettyDefinition(prompt.definition);
  return (
    <table class="versions">
      <thead>
        <tr>
          <th>Version</th>
          <th>Saved</th>
          <th>Against the current version</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => (
          <tr id={`version-${version.version}`}>
            <td>
              {String(version.version)}
              {version.version === prompt.currentVersion && " (current)"}
            </td>
            <td>{`${formatTime(version.createdAt)} · ${version.createdBy}`}</td>
            <td>
              {prettyDefinition(version.definition) === current ? (
                <span class="muted">The same</span>
              ) : (
                <>
                  <details>
                    <summary>What rolling back to it changes</summary>
                    <VersionDiff before={prompt.definition} after={version.definition} />
                  </details>
                  {canChange && (
                    <form class="inline" method="post" action={`${base}/rollback`}>
                      <CsrfField session={session} />
                      <input type="hidden" name="version" value={String(version.version)} />
                      <button class="secondary" type="submit">
                        Roll back to this version
                      </button>
                    </form>
                  )}
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
