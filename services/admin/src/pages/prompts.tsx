import {
  type AppContext,
  AppError,
  httpStatusOf,
  listPromptEntries,
  promptHistory,
  rollbackPrompt,
  savePrompt,
  setPromptEnabled,
} from "@mcp-tools/core";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { PromptRollbackBody, promptNameFrom } from "../api/prompts.js";
import type { AdminEnv } from "../env.js";
import { requireRole } from "../middleware/require-role.js";
import { draftFromForm, type PromptDraft, readableError } from "./prompt-form.js";
import { PromptPage } from "./prompt-view.js";
import { PromptsPage } from "./prompts-view.js";

const notices: Record<string, string> = {
  created: "Prompt created: clients are told, and list it now.",
  saved: "Saved as a new version: clients get it from now on.",
  enabled: "Enabled: clients list the prompt again.",
  disabled: "Disabled: clients no longer list or get the prompt.",
};

function noticeOf(done: string | undefined): string | undefined {
  const rolledBack = /^rollback-(\d+)$/.exec(done ?? "");
  if (rolledBack) return `Rolled back: the new current version is a copy of version ${rolledBack[1]}.`;
  return notices[done ?? ""];
}

const changers = requireRole("operator", "admin");

/** /prompts: the prompt library (the same verbs as /api/prompts); operators and admins change it. */
export function promptPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const listPage = async (
    c: Context<AdminEnv>,
    props: { error?: string; notice?: string | undefined; name?: string; draft?: PromptDraft },
    status = 200,
  ) =>
    c.html(
      <PromptsPage session={c.get("session")} prompts={await listPromptEntries(ctx)} {...props} />,
      status as ContentfulStatusCode,
    );

  const promptPage = async (
    c: Context<AdminEnv>,
    props: { error?: string; notice?: string | undefined; draft?: PromptDraft },
    status = 200,
  ) => {
    const name = promptNameFrom(c.req.param("name") ?? "");
    const versions = await promptHistory(ctx, name);
    const [prompt] = await listPromptEntries(ctx, name);
    if (!prompt) throw new AppError("NOT_FOUND", "No prompt by that name");
    return c.html(
      <PromptPage session={c.get("session")} prompt={prompt} versions={versions} {...props} />,
      status as ContentfulStatusCode,
    );
  };
  // A refused change shows its page again with the reason; anything else is the error page's.
  const refusedOn = (
    error: unknown,
    page: (message: string, status: ContentfulStatusCode) => Promise<Response>,
  ) => {
    if (!(error instanceof AppError)) throw error;
    return page(readableError(error.message), httpStatusOf[error.code] as ContentfulStatusCode);
  };
  const pathOf = (name: string) => `/prompts/${encodeURIComponent(name)}`;

  app.get("/", (c) => listPage(c, { notice: noticeOf(c.req.query("done")) }));

  app.post("/", changers, async (c) => {
    const form = await c.req.parseBody();
    const name = String(form.name ?? "").trim();
    const draft = draftFromForm(form);
    const refused = (error: string, status: ContentfulStatusCode) =>
      listPage(c, { error, name: name.slice(0, 64), draft }, status);
    try {
      // The API's PUT saves over a prompt of that name; "New prompt" must not do so unasked.
      if ((await listPromptEntries(ctx)).some((entry) => entry.name === name))
        throw new AppError("CONFLICT", `A prompt named ${name} already exists: change it on its own page.`);
      await savePrompt(ctx, c.get("session").user.username, name, draft);
    } catch (error) {
      return refusedOn(error, refused);
    }
    return c.redirect(`${pathOf(name)}?done=created`, 303);
  });

  app.get("/:name", (c) => promptPage(c, { notice: noticeOf(c.req.query("done")) }));

  app.post("/:name", changers, async (c) => {
    const name = promptNameFrom(c.req.param("name"));
    const draft = draftFromForm(await c.req.parseBody());
    try {
      // Only a prompt that exists: creating one is the "New prompt" form's.
      await promptHistory(ctx, name);
      await savePrompt(ctx, c.get("session").user.username, name, draft);
    } catch (error) {
      return refusedOn(error, (message, status) => promptPage(c, { error: message, draft }, status));
    }
    return c.redirect(`${pathOf(name)}?done=saved`, 303);
  });

  for (const enabled of [true, false])
    app.post(`/:name/${enabled ? "enable" : "disable"}`, changers, async (c) => {
      const name = promptNameFrom(c.req.param("name"));
      await setPromptEnabled(ctx, c.get("session").user.username, name, enabled);
      return c.redirect(`${pathOf(name)}?done=${enabled ? "enabled" : "disabled"}`, 303);
    });

  app.post("/:name/rollback", changers, async (c) => {
    const name = promptNameFrom(c.req.param("name"));
    const version = PromptRollbackBody.shape.version.safeParse(Number((await c.req.parseBody()).version));
    if (!version.success) return promptPage(c, { error: "Choose a version to roll back to." }, 400);
    try {
      await rollbackPrompt(ctx, c.get("session").user.username, name, version.data);
    } catch (error) {
      return refusedOn(error, (message, status) => promptPage(c, { error: message }, status));
    }
    return c.redirect(`${pathOf(name)}?done=rollback-${version.data}`, 303);
  });
  return app;
}
