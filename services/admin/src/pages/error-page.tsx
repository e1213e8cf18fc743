import type { Logger } from "@mcp-tools/core";
import { errorHandler, notFoundHandler } from "@mcp-tools/http";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isApi } from "../middleware/require-session.js";
import { Layout } from "./layout.js";

/**
 * The JSON error answers of every service, except that a browser asking for a page gets the same
 * message on a page it can read, with a way back.
 */
export function adminErrorHandler({ log }: { log: Pick<Logger, "error"> }): ErrorHandler {
  const json = errorHandler({ log });
  return async function onError(error, c) {
    return asPage(c, await json(error, c));
  };
}

/** The JSON 404 of every service, or a page saying so to a browser. */
export function adminNotFound(): NotFoundHandler {
  const json = notFoundHandler();
  return async function notFound(c) {
    return asPage(c, await json(c));
  };
}

async function asPage(c: Context, response: Response): Promise<Response> {
  const wantsHtml = c.req.header("accept")?.includes("text/html") ?? false;
  if (!wantsHtml || isApi(c.req.path)) return response;
  const { error } = (await response.clone().json()) as { error: { message: string } };
  return c.html(
    <Layout title="Something went wrong">
      <div class="panel">
        <h1>{titleOf(response.status)}</h1>
        <p class="error" role="alert">
          {error.message}
        </p>
        <p>
          <a href="/">Back to the dashboard</a>
        </p>
      </div>
    </Layout>,
    response.status as ContentfulStatusCode,
  );
}

function titleOf(status: number): string {
  if (status === 403) return "Not allowed";
  if (status === 404) return "Not found";
  return "Something went wrong";
}
