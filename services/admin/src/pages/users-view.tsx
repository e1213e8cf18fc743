import type { AdminSession, UserView } from "@mcp-tools/core";
import { CsrfField, Layout, Message } from "./layout.js";

const roles = ["admin", "operator", "viewer"] as const;

export interface UsersPageProps {
  session: AdminSession;
  users: UserView[];
  error?: string | undefined;
  notice?: string | undefined;
  /** What the person typed into the create form, kept when it failed. */
  draft?: { username: string; role: string } | undefined;
}

/** The user list with a role form per row and the create form. */
export function UsersPage({ session, users, error, notice, draft }: UsersPageProps) {
  return (
    <Layout title="Users" session={session} current="/users">
      <h1>Users</h1>
      <Message error={error} notice={notice} />
      <table>
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Status</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr>
              <td>{user.username}</td>
              <td>
                <form class="inline" method="post" action={`/users/${user.id}/role`}>
                  <CsrfField session={session} />
                  <select name="role" aria-label={`Role of ${user.username}`}>
                    {roles.map((role) => (
                      <option value={role} selected={role === user.role}>
                        {role}
                      </option>
                    ))}
                  </select>
                  <button class="secondary" type="submit">
                    Change
                  </button>
                </form>
              </td>
              <td class="muted">{statusOf(user)}</td>
              <td class="actions">
                <a class="button secondary" href={`/users/${user.id}/revoke-sessions`}>
                  Sign out everywhere
                </a>
                {user.disabled ? (
                  <form class="inline" method="post" action={`/users/${user.id}/enable`}>
                    <CsrfField session={session} />
                    <button class="secondary" type="submit">
                      Enable
                    </button>
                  </form>
                ) : (
                  <a class="button secondary" href={`/users/${user.id}/disable`}>
                    Disable
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add a user</h2>
      <form class="stack panel" method="post" action="/users">
        <CsrfField session={session} />
        <label>
          Username
          <input name="username" value={draft?.username} required maxlength={64} />
        </label>
        <label>
          Role
          <select name="role">
            {roles.map((role) => (
              <option value={role} selected={role === (draft?.role ?? "viewer")}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label>
          Password (at least 12 characters)
          <input name="password" type="password" autocomplete="new-password" minlength={12} required />
        </label>
        <button type="submit">Add user</button>
      </form>
    </Layout>
  );
}

function statusOf(user: UserView): string {
  if (user.disabled) return "disabled";
  if (user.setupPending) return "setup pending";
  // Someone failed too often from one address; from elsewhere the user still signs in at once.
  if (user.lockedUntil && user.lockedUntil > new Date()) return "sign-in delayed";
  return "active";
}
