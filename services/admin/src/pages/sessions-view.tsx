import type { AdminSession, SessionView } from "@mcp-tools/core";
import { ago, formatTime } from "./dashboard-format.js";
import { Layout, Message } from "./layout.js";

export interface SessionsPageProps {
  session: AdminSession;
  sessions: SessionView[];
  now: Date;
  notice?: string | undefined;
  error?: string | undefined;
}

/** May this person end sessions and delete notes? Viewers only read. */
export const canChange = (session: AdminSession) => session.user.role !== "viewer";

/** Every open MCP session of every process, with a way to end one. */
export function SessionsPage({ session, sessions, now, notice, error }: SessionsPageProps) {
  return (
    <Layout title="Sessions" session={session} current="/sessions">
      <h1>MCP sessions</h1>
      <Message error={error} notice={notice} />
      {sessions.length === 0 ? (
        <p class="panel muted">No open MCP sessions. Clients connected over HTTP or stdio appear here.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Session</th>
              <th>Transport</th>
              <th>Principal</th>
              <th>Process</th>
              <th>Started</th>
              <th>Last activity</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((item) => (
              <tr>
                <td>
                  <code>{item.id}</code>
                </td>
                <td>{item.transport}</td>
                <td>{item.principal}</td>
                <td>{`${item.host} · ${item.pid}`}</td>
                <td title={formatTime(item.startedAt)}>{ago(item.startedAt, now)}</td>
                <td title={formatTime(item.lastActivityAt)}>{ago(item.lastActivityAt, now)}</td>
                <td class="actions">
                  {canChange(session) && item.terminable ? (
                    <a class="button secondary" href={`/sessions/${item.id}/terminate`}>
                      End session
                    </a>
                  ) : (
                    <span class="muted">{item.terminable ? "" : "ends with its client"}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">Counts refresh with each process's heartbeat, every few seconds.</p>
    </Layout>
  );
}
