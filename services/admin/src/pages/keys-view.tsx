import type { AdminSession, ApiKey, KeyScope } from "@mcp-tools/core";
import { ConfirmStep } from "./confirm-step.js";
import { CsrfField, Layout, Message } from "./layout.js";

/** What the person typed into the create form, kept when it failed. */
export interface KeyDraft {
  name: string;
  expiresInDays: string;
  scope: string;
  tools: string[];
  rateLimitPerMinute: string;
}

export interface KeysPageProps {
  session: AdminSession;
  keys: ApiKey[];
  tools: string[];
  error?: string | undefined;
  notice?: string | undefined;
  draft?: KeyDraft | undefined;
}

const when = (date: Date | null, none: string) => (date ? date.toISOString().replace(/\.\d+Z$/, "Z") : none);

export function scopeText(scope: KeyScope): string {
  if (scope.kind === "tools") return `tools: ${scope.tools.join(", ")}`;
  return scope.kind;
}

/** The key list with revoke links and the create form. */
export function KeysPage({ session, keys, tools, error, notice, draft }: KeysPageProps) {
  const canChange = session.user.role !== "viewer";
  return (
    <Layout title="API keys" session={session} current="/keys">
      <h1>API keys</h1>
      <Message error={error} notice={notice} />
      {keys.length === 0 ? (
        <p class="muted">No API keys yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Prefix</th>
              <th>Name</th>
              <th>Scope</th>
              <th>Rate limit</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>Status</th>
              {canChange && <th>Actions</th>}
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr>
                <td>
                  <code>mcpt_{key.prefix}</code>
                </td>
                <td>{key.name}</td>
                <td>{scopeText(key.scope)}</td>
                <td class="muted">
                  {key.rateLimitPerMinute === null ? "none" : `${key.rateLimitPerMinute}/min`}
                </td>
                <td class="muted">{when(key.expiresAt, "never")}</td>
                <td class="muted">{when(key.lastUsedAt, "never")}</td>
                <td class="muted">{key.revokedAt ? `revoked ${when(key.revokedAt, "")}` : "active"}</td>
                {canChange && (
                  <td class="actions">
                    {!key.revokedAt && (
                      <a class="button secondary" href={`/keys/${key.id}/revoke`}>
                        Revoke
                      </a>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canChange && <CreateKeyForm session={session} tools={tools} draft={draft} />}
    </Layout>
  );
}

function CreateKeyForm({
  session,
  tools,
  draft,
}: {
  session: AdminSession;
  tools: string[];
  draft?: KeyDraft | undefined;
}) {
  const scope = draft?.scope ?? "all";
  return (
    <>
      <h2>Create a key</h2>
      <form class="stack panel" method="post" action="/keys">
        <CsrfField session={session} />
        <label>
          Name
          <input name="name" value={draft?.name} required maxlength={200} />
        </label>
        <label>
          Expires after (days; empty: never)
          <input
            name="expiresInDays"
            type="number"
            min={1}
            max={3650}
            step={1}
            value={draft?.expiresInDays}
          />
        </label>
        <fieldset>
          <legend>Scope</legend>
          <label class="check">
            <input type="radio" name="scope" value="all" checked={scope === "all"} /> Every tool
          </label>
          <label class="check">
            <input type="radio" name="scope" value="read-only" checked={scope === "read-only"} /> Read-only
            tools
          </label>
          <label class="check">
            <input type="radio" name="scope" value="tools" checked={scope === "tools"} /> Only these tools:
          </label>
          {tools.map((tool) => (
            <label class="check indent">
              <input type="checkbox" name="tools" value={tool} checked={draft?.tools.includes(tool)} /> {tool}
            </label>
          ))}
        </fieldset>
        <label>
          Rate limit, calls per minute (empty: none)
          <input name="rateLimitPerMinute" type="number" min={1} step={1} value={draft?.rateLimitPerMinute} />
        </label>
        <button type="submit">Create key</button>
      </form>
    </>
  );
}

/** Shown once, right after creation: the secret is not stored and cannot be shown again. */
export function KeyCreatedPage({
  session,
  apiKey: key,
  secret,
}: {
  session: AdminSession;
  apiKey: ApiKey;
  secret: string;
}) {
  return (
    <Layout title="Key created" session={session} current="/keys">
      <h1>Key created: {key.name}</h1>
      <div class="panel stack">
        <p class="notice">Copy the secret now: it is shown only this once and cannot be retrieved later.</p>
        <pre class="secret">{secret}</pre>
        <p>MCP clients send it on every request to /mcp or /sse:</p>
        <pre>{`Authorization: Bearer ${secret}`}</pre>
        <p class="muted">
          Scope: {scopeText(key.scope)} · expires {when(key.expiresAt, "never")}
        </p>
        <p>
          <a href="/keys">Back to the keys</a>
        </p>
      </div>
    </Layout>
  );
}

/** The confirmation step before revoking. */
export function RevokeKeyPage({ session, apiKey: key }: { session: AdminSession; apiKey: ApiKey }) {
  return (
    <ConfirmStep
      session={session}
      title="Revoke key?"
      current="/keys"
      action={`/keys/${key.id}/revoke`}
      button="Revoke"
      cancel="/keys"
    >
      Clients using <strong>{key.name}</strong> (<code>mcpt_{key.prefix}</code>) are refused from their next
      request on. This cannot be undone.
    </ConfirmStep>
  );
}
