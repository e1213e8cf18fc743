import type { AdminSession } from "@mcp-tools/core";
import type { Child } from "hono/jsx";
import { CsrfField, Layout } from "./layout.js";

export interface ConfirmStepProps {
  session: AdminSession;
  title: string;
  current: string;
  action: string;
  button: string;
  cancel: string;
  children: Child;
}

/** The confirmation before a destructive step: no script, a second form that posts. */
export function ConfirmStep({ session, title, current, action, button, cancel, children }: ConfirmStepProps) {
  return (
    <Layout title={title} session={session} current={current}>
      <h1>{title}</h1>
      <div class="panel">
        <p>{children}</p>
        <form class="inline" method="post" action={action}>
          <CsrfField session={session} />
          <button class="danger" type="submit">
            {button}
          </button>
          <a class="button secondary" href={cancel}>
            Cancel
          </a>
        </form>
      </div>
    </Layout>
  );
}
