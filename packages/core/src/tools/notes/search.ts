import { z } from "zod";
import { defineTool } from "../define.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { noteSummary, noteTag, pageCursor, pageLimit } from "./fields.js";
import { searchPage } from "./pages.js";
import { renderPage } from "./render.js";

const position = z.object({ rank: z.number(), id: z.uuid() }).strict();

/** Full-text search over titles and bodies, best match first. */
export const noteSearch = defineTool({
  name: "note_search",
  title: "Search notes",
  description:
    "Full-text search of the shared notes (English stemming, so 'running' finds 'run'). Title matches rank " +
    'above body matches. Query syntax as in web search: words are ANDed, "quoted phrase", or, -excluded ' +
    "(with at least one word to find: exclusions alone are refused). " +
    "Returns id, title, tags, a snippet with matches in **bold**, and rank, best first. Filter by one tag " +
    "with tag. When nextCursor is present, call again with the same q and tag and cursor=nextCursor for " +
    "more. Use note_get for a whole note.",
  input: z
    .object({
      q: z.string().trim().min(1).max(1_000).describe('Search words, e.g. postgres "connection pool" -mysql'),
      tag: noteTag.optional().describe("Only notes carrying this tag (case-insensitive)"),
      limit: pageLimit.describe("Results per page, 1 to 100 (default 10)"),
      cursor: pageCursor.optional().describe("nextCursor from the previous page of the same search"),
    })
    .strict(),
  output: z.object({
    results: z.array(noteSummary.extend({ snippet: z.string(), rank: z.number() })),
    // Absent on the last page, rather than null: a type array ["string", "null"] is what some
    // model providers reject (see schema/portability.ts).
    nextCursor: z.string().optional(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ db }, { q, tag, limit, cursor }) {
    const filters = [q, tag ?? null];
    const after = cursor === undefined ? undefined : decodeCursor(cursor, "note_search", filters, position);
    const page = await searchPage(db, { q, tag, limit, after });
    return {
      results: page.rows,
      ...(page.next && { nextCursor: encodeCursor("note_search", filters, page.next) }),
    };
  },
  text: ({ results, nextCursor }) =>
    renderPage(
      results.map((hit) => ({ summary: hit, detail: `rank ${hit.rank.toFixed(3)}`, excerpt: hit.snippet })),
      nextCursor,
      "No matching notes.",
    ),
});
