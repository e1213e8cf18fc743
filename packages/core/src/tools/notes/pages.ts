import { and, asc, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { notes } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { NoteSummary } from "./fields.js";
import { hasTag, summaryColumns } from "./store.js";

/** One page of rows and, when more follow, the sort key of its last row. */
export interface Page<Row, Position> {
  rows: Row[];
  next?: Position;
}

export interface SearchPosition {
  rank: number;
  id: string;
}

export interface SearchOptions {
  q: string;
  tag?: string | undefined;
  limit: number;
  after?: SearchPosition | undefined;
}

export type SearchRow = NoteSummary & { rank: number; snippet: string };

// ts_headline re-parses the text it is given: bound its work per row on megabyte bodies.
const HEADLINE_SOURCE_CHARS = 50_000;
const HEADLINE_OPTIONS =
  'MaxFragments=2, MaxWords=20, MinWords=8, StartSel=**, StopSel=**, FragmentDelimiter=" … "';

/** Full-text matches for `q`, best first (rank desc, id asc), resuming after `after`. */
export async function searchPage(
  db: Db,
  { q, tag, limit, after }: SearchOptions,
): Promise<Page<SearchRow, SearchPosition>> {
  const query = sql`websearch_to_tsquery('english', ${q})`;
  // ts_rank is real (float4): compare positions in real too, or equal ranks would not be equal.
  const rank = sql<number>`ts_rank(${notes.search}, ${query})`;
  // querytree() is the part of a query the index can look up, 'T' when none: the plan then stops
  // at this one-time filter instead of reading every note. refuseUnindexable() says why.
  const conditions: SQL[] = [sql`querytree(${query}) <> 'T'`, sql`${notes.search} @@ ${query}`];
  if (tag !== undefined) conditions.push(hasTag(tag));
  if (after) {
    const r = sql`${after.rank}::real`;
    conditions.push(sql`(${rank} < ${r} or (${rank} = ${r} and ${notes.id} > ${after.id}::uuid))`);
  }
  const page = db.$with("page").as(
    db
      .select({ id: notes.id, rank: rank.as("rank") })
      .from(notes)
      .where(and(...conditions))
      .orderBy(desc(rank), asc(notes.id))
      .limit(limit + 1),
  );
  // Headlines only for the rows of this page, not for every match. The rank goes out as float8: at
  // least 15 digits whatever extra_float_digits says, so a cursor's rank reads back as the same real.
  const rows = await db
    .with(page)
    .select({
      ...summaryColumns,
      rank: sql<number>`${page.rank}::float8`,
      snippet: sql<string>`ts_headline('english', left(${notes.body}, ${HEADLINE_SOURCE_CHARS}), ${query}, ${HEADLINE_OPTIONS})`,
    })
    .from(page)
    .innerJoin(notes, eq(notes.id, page.id))
    .orderBy(desc(page.rank), asc(page.id));
  if (rows.length === 0) await refuseUnindexable(db, q);
  return paginate(rows, limit, (row) => ({ rank: row.rank, id: row.id }));
}

/** The message for a search that only excludes words; the rule is PostgreSQL's querytree(). */
const UNINDEXABLE_SEARCH =
  'q: only excludes words (a -word alone, or after "or"), which would mean reading every note; ' +
  'give at least one word to find, e.g. "postgres -mysql", or browse by tag with note_list';

// Asked only when a search found nothing, so a search that finds notes costs no extra round trip.
// A query of stop words alone is empty (no nodes), not unindexable: it simply finds nothing.
async function refuseUnindexable(db: Db, q: string): Promise<void> {
  const [row] = await db
    .select({ refused: sql<boolean>`numnode(query) > 0 and querytree(query) = 'T'` })
    .from(sql`websearch_to_tsquery('english', ${q}) as query`);
  if (row?.refused) throw new AppError("INVALID", UNINDEXABLE_SEARCH);
}

export interface ListPosition {
  createdAt: string;
  id: string;
}

export interface ListOptions {
  tag?: string | undefined;
  limit: number;
  after?: ListPosition | undefined;
}

export type ListRow = NoteSummary & { preview: string };

const PREVIEW_CHARS = 200;

/** Notes newest first (created_at desc, id desc), resuming after `after`. */
export async function listPage(
  db: Db,
  { tag, limit, after }: ListOptions,
): Promise<Page<ListRow, ListPosition>> {
  const conditions: SQL[] = [];
  if (tag !== undefined) conditions.push(hasTag(tag));
  if (after) {
    // A row comparison, so the (created_at desc, id desc) index serves the keyset.
    conditions.push(
      sql`(${notes.createdAt}, ${notes.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = await db
    .select({ ...summaryColumns, preview: sql<string>`left(${notes.body}, ${PREVIEW_CHARS})` })
    .from(notes)
    .where(and(...conditions))
    .orderBy(desc(notes.createdAt), desc(notes.id))
    .limit(limit + 1);
  return paginate(rows, limit, (row) => ({ createdAt: row.createdAt, id: row.id }));
}

// Pages fetch one row more than asked: its presence is what says another page exists.
function paginate<Row, Position>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => Position,
): Page<Row, Position> {
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return last === undefined ? { rows } : { rows: rows.slice(0, limit), next: positionOf(last) };
}
