/** A signed-in admin API client: the session cookie and the CSRF token every change must carry. */
export interface AdminSession {
  request(method: string, path: string, body?: unknown): Promise<Response>;
}

/** Signs in through the admin's own form (POST /login), as a person would, and reads /api/me. */
export async function signInAdmin(
  adminUrl: string,
  username: string,
  password: string,
): Promise<AdminSession> {
  const signedIn = await fetch(`${adminUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }),
  });
  if (signedIn.status !== 303)
    throw new Error(`sign-in answered ${signedIn.status}: ${await signedIn.text()}`);
  const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const me = await fetch(`${adminUrl}/api/me`, { headers: { cookie } });
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return {
    request: (method, path, body) =>
      fetch(`${adminUrl}${path}`, {
        method,
        headers: { cookie, "x-csrf-token": csrfToken, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}
