import type { AdminSession } from "@mcp-tools/core";
import type { SecretInfo } from "@mcp-tools/core/catalog";
import { formatTime } from "./dashboard-format.js";
import { CsrfField, Layout, Message } from "./layout.js";

export interface SecretsPageProps {
  session: AdminSession;
  secrets: SecretInfo[];
  /** The name last typed, kept when the form comes back with an error; never the value. */
  name?: string | undefined;
  error?: string | undefined;
  notice?: string | undefined;
}

/** The secrets HTTP tools send, by name: write-only, so this page never shows a value. */
export function SecretsPage({ session, secrets, name, error, notice }: SecretsPageProps) {
  const isAdmin = session.user.role === "admin";
  return (
    <Layout title="Secrets" session={session} current="/secrets">
      <h1>Secrets</h1>
      <p class="muted">
        An HTTP tool's header refers to a secret as <code>{"{secret:NAME}"}</code>. Values are stored
        encrypted (SECRETS_KEY) and never shown again, nor written to logs or the audit trail; setting a name
        again replaces its value for every tool at once.
      </p>
      <Message error={error} notice={notice} />
      {secrets.length === 0 ? (
        <p class="panel muted">No secrets yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Last set</th>
              <th>By</th>
              {isAdmin && <th />}
            </tr>
          </thead>
          <tbody>
            {secrets.map((secret) => (
              <tr>
                <td>
                  <code>{secret.name}</code>
                </td>
                <td>{formatTime(secret.updatedAt)}</td>
                <td>{secret.updatedBy}</td>
                {isAdmin && (
                  <td>
                    <a href={`/secrets/${encodeURIComponent(secret.name)}/delete`}>Delete</a>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin ? (
        <form class="stack panel" method="post" action="/secrets">
          <h2>Set a secret</h2>
          <CsrfField session={session} />
          <label>
            Name
            <input name="name" required maxlength={64} pattern="[A-Za-z0-9_.\-]{1,64}" value={name ?? ""} />
          </label>
          <label>
            Value
            <input name="value" type="password" required maxlength={8192} autocomplete="off" />
          </label>
          <button type="submit">Save</button>
        </form>
      ) : (
        <p class="muted">Admins set and delete secrets.</p>
      )}
    </Layout>
  );
}
