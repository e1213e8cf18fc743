import { type AppContext, AppError, httpStatusOf } from "@mcp-tools/core";
import {
  type DocumentSource,
  importOpenApiOperations,
  MAX_DOCUMENT_BYTES,
  previewOpenApiImport,
} from "@mcp-tools/core/catalog";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { withDocumentAgent } from "../api/document-agent.js";
import type { AdminEnv } from "../env.js";
import { ImportPage } from "./tools-import-view.js";

/** /tools/import-openapi: read a document, choose operations, propose them as HTTP tools. */
export function toolImportPages(ctx: AppContext): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const page = (
    c: Context<AdminEnv>,
    props: Omit<Parameters<typeof ImportPage>[0], "session">,
    status = 200,
  ) => c.html(<ImportPage session={c.get("session")} {...props} />, status as ContentfulStatusCode);
  // A failure to read or import shows the form again with what was given, and why.
  const refused = (c: Context<AdminEnv>, source: DocumentSource, error: unknown) => {
    if (!(error instanceof AppError)) throw error;
    return page(c, { source, error: error.message }, httpStatusOf[error.code]);
  };

  app.get("/", (c) => page(c, {}));

  app.post("/preview", async (c) => {
    const source = await sourceFrom(c);
    try {
      const operations = await withDocumentAgent(ctx.config, (agent) => previewOpenApiImport(agent, source));
      return page(c, { source, operations });
    } catch (error) {
      return refused(c, source, error);
    }
  });

  app.post("/", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const source = await sourceFrom(c);
    try {
      const actor = c.get("session").user.username;
      const versions = await withDocumentAgent(ctx.config, async (agent) => {
        let ids = [form.operations ?? []].flat().map(String);
        if (form.all === "1")
          ids = (await previewOpenApiImport(agent, source))
            .filter((each) => each.tool)
            .map((each) => each.id);
        if (ids.length === 0) throw new AppError("INVALID", "Choose at least one operation to import");
        return importOpenApiOperations(ctx, agent, source, ids, actor);
      });
      return c.redirect(`/tools?pending=1&done=imported-${versions.length}`, 303);
    } catch (error) {
      return refused(c, source, error);
    }
  });
  return app;
}

/** The document as the form gives it: an uploaded file, else pasted text, else a URL. */
async function sourceFrom(c: Context<AdminEnv>): Promise<DocumentSource> {
  const form = await c.req.parseBody();
  const { file, document, url } = form;
  if (file instanceof File && file.size > 0) {
    if (file.size > MAX_DOCUMENT_BYTES) throw new AppError("INVALID", "The file is too large");
    return { document: await file.text() };
  }
  if (typeof document === "string" && document.trim() !== "") return { document };
  if (typeof url === "string" && url.trim() !== "") return { url: url.trim() };
  return {};
}
