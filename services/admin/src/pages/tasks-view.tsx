import { type AdminSession, isTerminal, type TaskSummary } from "@mcp-tools/core";
import { ago, formatTime } from "./dashboard-format.js";
import { CsrfField, Layout, Message } from "./layout.js";

export interface TasksPageProps {
  session: AdminSession;
  tasks: TaskSummary[];
  now: Date;
  notice?: string | undefined;
}

/** How a status reads: running plain, completed in green, failed and cancelled in red. */
function statusOf(status: TaskSummary["status"]) {
  if (status === "completed") return <span class="status ok">completed</span>;
  if (status === "failed" || status === "cancelled") return <span class="status bad">{status}</span>;
  return <span class="status">{status === "input_required" ? "waiting for input" : status}</span>;
}

/** Tool calls running as tasks, of every caller, with a way to cancel a running one. */
export function TasksPage({ session, tasks, now, notice }: TasksPageProps) {
  const canCancel = session.user.role !== "viewer";
  return (
    <Layout title="Tasks" session={session} current="/tasks">
      <h1>Tasks</h1>
      <p class="muted">
        Tool calls that run as tasks: the client is answered at once and asks later how the call ended. Ended
        tasks stay listed until they expire.
      </p>
      <Message notice={notice} />
      {tasks.length === 0 ? (
        <p class="panel muted">No tasks. Tool calls a client asks to run as tasks appear here.</p>
      ) : (
        <table class="tasks">
          <thead>
            <tr>
              <th>Tool</th>
              <th>Caller</th>
              <th>Status</th>
              <th>Started</th>
              <th>Last change</th>
              <th>Message</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr id={`task-${task.id}`}>
                <td>
                  <strong>{task.tool}</strong>
                </td>
                <td>{task.principal}</td>
                <td>{statusOf(task.status)}</td>
                <td title={formatTime(task.createdAt)}>{ago(task.createdAt.toISOString(), now)}</td>
                <td title={formatTime(task.updatedAt)}>{ago(task.updatedAt.toISOString(), now)}</td>
                <td>{task.statusMessage ?? "–"}</td>
                <td>
                  {canCancel && !isTerminal(task.status) && (
                    <form class="inline" method="post" action={`/tasks/${task.id}/cancel`}>
                      <CsrfField session={session} />
                      <button class="danger" type="submit">
                        Cancel
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
