import type { Resource, ResourceTemplate, TextResourceContents } from "@modelcontextprotocol/sdk/types.js";
import type { AppContext } from "../context.js";
import type { Db } from "../db/client.js";
import type { Principal } from "../mcp/principal.js";

export type { Resource, ResourceTemplate };

/** One resource's contents as `resources/read` returns them: text, or bytes in base64. */
export type ResourceContents = TextResourceContents | { uri: string; mimeType?: string; blob: string };

/** What a source reads with: the caller's database view (its queries end with the request). */
export interface ResourceContext {
  db: Db;
}

/** A page of a source's resources; `nextCursor` is the source's own, opaque to everyone else. */
export interface ResourcePage {
  resources: Resource[];
  nextCursor?: string | undefined;
}

/**
 * A kind of resource clients can list and read (notes, say), protocol-neutral: it never knows the
 * era or the transport. Served by resources/serve.ts.
 */
export interface ResourceSource {
  /** Whether this caller may list and read these resources at all. */
  visibleTo(ctx: Pick<AppContext, "toolSettings" | "tools">, principal: Principal): boolean;
  /** URI templates of its resources, for clients that build URIs themselves. */
  readonly templates: readonly ResourceTemplate[];
  /** Its resources, a page at a time, from `cursor` (one it returned) or the start. */
  list(ctx: ResourceContext, cursor: string | undefined): Promise<ResourcePage>;
  /**
   * The contents at `uri`; undefined when `uri` is not one of this source's URIs. Throws an
   * AppError NOT_FOUND when it is, but nothing is there.
   */
  read(ctx: ResourceContext, uri: string): Promise<ResourceContents[] | undefined>;
  /**
   * Values for a variable of one of its templates that go with what the user has typed so far;
   * none when it has nothing to suggest.
   */
  complete?(ctx: ResourceContext, uriTemplate: string, variable: string, typed: string): Promise<Completion>;
}

/**
 * A source's suggestions, best first: at most MAX_COMPLETIONS values, or one more to say there are
 * more; `total` when the source knows how many match in all.
 */
export interface Completion {
  values: string[];
  total?: number;
}

/** The most values `completion/complete` answers with (MCP: at most 100). */
export const MAX_COMPLETIONS = 100;
