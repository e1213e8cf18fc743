import { sql } from "drizzle-orm";
import {
  bigint,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** The notes knowledge base every client shares. */
export const notes = pgTable(
  "notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull().defaultNow(),
    // Title words weigh A and body words B, so a title match ranks above a body match.
    search: tsvector("search")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english', coalesce("title", '')), 'A') || setweight(to_tsvector('english', coalesce("body", '')), 'B')`,
      ),
  },
  (table) => [
    index("notes_search_idx").using("gin", table.search),
    index("notes_tags_idx").using("gin", table.tags),
    index("notes_created_idx").on(table.createdAt.desc(), table.id.desc()),
  ],
);

/** One row per tool call, whatever its outcome. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull(),
    tool: text("tool").notNull(),
    principal: text("principal").notNull(),
    transport: text("transport").notNull(),
    sessionId: text("session_id"),
    durationMs: integer("duration_ms").notNull(),
    outcome: text("outcome").notNull(),
    error: text("error"),
    arguments: jsonb("arguments"),
  },
  (table) => [
    index("audit_log_at_idx").on(table.at.desc()),
    index("audit_log_tool_at_idx").on(table.tool, table.at.desc()),
  ],
);
