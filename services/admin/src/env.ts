import type { AdminSession } from "@mcp-tools/core";

/** What the admin app's middleware leaves on the context for routes. */
export interface AdminEnv {
  Variables: {
    /** The signed-in person; set by `requireSession` on every non-public route. */
    session: AdminSession;
    /** The raw cookie token, so logout can end exactly this session. */
    sessionToken: string;
  };
}

/** Paths anyone may reach without signing in; everything else needs a session (route-table test). */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  "/health",
  "/ready",
  "/metrics",
  "/login",
  "/setup",
  // The sign-in pages need their stylesheet before anyone is signed in.
  "/assets/app.css",
]);
