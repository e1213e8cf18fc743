import { z } from "zod";
import type { AppContext } from "../context.js";
import { AppError } from "../errors.js";
import type { Principal } from "../mcp/principal.js";
import { malformation } from "../text/well-formed.js";
import {
  MAX_COMPLETIONS,
  type Resource,
  type ResourceContents,
  type ResourceSource,
  type ResourceTemplate,
} from "./define.js";
import { noteResources } from "./notes.js";

/** What serves resources: the caller, and the signal that says it stopped waiting. */
export interface ResourceRequest {
  principal: Principal;
  signal: AbortSignal;
}

type ServeContext = Pick<AppContext, "db" | "tools" | "toolSettings" | "config">;

// The fixtures' resources come with the fixture tools, and load only then.
async function sourcesOf(ctx: ServeContext): Promise<readonly ResourceSource[]> {
  if (!ctx.config.CONFORMANCE_FIXTURES) return [noteResources];
  const { fixtureResources } = await import("../tools/fixtures/resources-source.js");
  return [noteResources, fixtureResources];
}

async function visibleSources(ctx: ServeContext, principal: Principal) {
  return (await sourcesOf(ctx)).filter((source) => source.visibleTo(ctx, principal));
}

export const MAX_URI_CHARS = 2_048;
const MAX_CURSOR_CHARS = 1_000;
/** Resources one session (2025) or one subscriptions/listen (2026-07-28) may watch. */
export const MAX_SUBSCRIPTIONS = 100;

/**
 * The URIs a client asks to be told about, checked: at most MAX_SUBSCRIPTIONS, none longer than a
 * URI may be. Whether they name a resource is not checked: one that appears later is reported then.
 */
export function checkedSubscriptions(uris: readonly string[]): readonly string[] {
  if (uris.length > MAX_SUBSCRIPTIONS)
    throw new AppError(
      "INVALID",
      `Invalid params: at most ${MAX_SUBSCRIPTIONS} resource subscriptions at once`,
    );
  const long = uris.find((uri) => uri.length > MAX_URI_CHARS);
  if (long !== undefined)
    throw new AppError("INVALID", `Invalid params: uri: longer than ${MAX_URI_CHARS} characters`);
  return uris;
}

// base64url JSON: which visible source the page resumes in, and that source's own cursor.
const cursorShape = z.object({ s: z.number().int().min(0), c: z.string().optional() }).strict();

function decodeCursor(cursor: string): z.infer<typeof cursorShape> {
  try {
    if (cursor.length > MAX_CURSOR_CHARS) throw new Error("too long");
    return cursorShape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new AppError("INVALID", "Invalid params for resources/list: cursor: pass nextCursor unchanged");
  }
}

const encodeCursor = (position: z.infer<typeof cursorShape>) =>
  Buffer.from(JSON.stringify(position)).toString("base64url");

/** `resources/list`: one source's page at a time, each source in turn. */
export async function listResources(
  ctx: ServeContext,
  { principal, signal }: ResourceRequest,
  cursor: string | undefined,
): Promise<{ resources: Resource[]; nextCursor?: string }> {
  const sources = await visibleSources(ctx, principal);
  const at = cursor === undefined ? { s: 0 } : decodeCursor(cursor);
  const source = sources[at.s];
  if (!source) return { resources: [] };
  const page = await source.list({ db: ctx.db.withSignal(signal) }, at.c);
  const next =
    page.nextCursor !== undefined
      ? { s: at.s, c: page.nextCursor }
      : at.s + 1 < sources.length
        ? { s: at.s + 1 }
        : undefined;
  return { resources: page.resources, ...(next && { nextCursor: encodeCursor(next) }) };
}

/** `resources/templates/list`: every visible source's templates (few: one page). */
export async function listResourceTemplates(
  ctx: ServeContext,
  { principal }: Pick<ResourceRequest, "principal">,
): Promise<{ resourceTemplates: ResourceTemplate[] }> {
  const sources = await visibleSources(ctx, principal);
  return { resourceTemplates: sources.flatMap((source) => source.templates) };
}

/** `resources/read`: the first visible source that knows the URI; NOT_FOUND (with the uri) if none does. */
export async function readResource(
  ctx: ServeContext,
  { principal, signal }: ResourceRequest,
  uri: string,
): Promise<{ contents: ResourceContents[] }> {
  if (uri.length > MAX_URI_CHARS)
    throw new AppError(
      "INVALID",
      `Invalid params for resources/read: uri: longer than ${MAX_URI_CHARS} characters`,
    );
  const readContext = { db: ctx.db.withSignal(signal) };
  for (const source of await visibleSources(ctx, principal)) {
    const contents = await source.read(readContext, uri);
    if (contents) return { contents };
  }
  throw new AppError("NOT_FOUND", "Resource not found", { details: { uri } });
}

/**
 * `completion/complete` for a variable of a resource template: the visible source that has the
 * template suggests; an unknown template, or a value no database text could hold, is INVALID.
 */
export async function completeResourceVariable(
  ctx: ServeContext,
  { principal, signal }: ResourceRequest,
  uriTemplate: string,
  variable: string,
  typed: string,
): Promise<{ completion: { values: string[]; hasMore: boolean; total?: number } }> {
  const reason = malformation(typed);
  if (reason)
    throw new AppError("INVALID", `Invalid params for completion/complete: argument.value: ${reason}`);
  const source = (await visibleSources(ctx, principal)).find((each) =>
    each.templates.some((template) => template.uriTemplate === uriTemplate),
  );
  if (!source)
    throw new AppError(
      "INVALID",
      `Invalid params for completion/complete: no resource template ${uriTemplate.slice(0, 200)}`,
    );
  const { values, total } = (await source.complete?.(
    { db: ctx.db.withSignal(signal) },
    uriTemplate,
    variable,
    typed,
  )) ?? { values: [] };
  const shown = values.slice(0, MAX_COMPLETIONS);
  // MCP §Completion: hasMore says more values exist than were sent; total, if given, counts them all.
  return {
    completion: {
      values: shown,
      hasMore: (total ?? values.length) > shown.length,
      ...(total !== undefined && { total }),
    },
  };
}
