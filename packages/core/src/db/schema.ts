import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
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
    /** The hash of the tool version that ran (see tool_versions); null for rows from before. */
    toolVersion: text("tool_version"),
  },
  // Ascending, though read newest first (a btree scans either way): rows arrive in time and id
  // order, and a descending index takes each new entry at its leftmost page, where a full page
  // splits in half rather than being left full, so it grew to 1.8 times the size and cost more a row.
  // The tool filter pages by id, as the list does (queries.ts).
  (table) => [
    index("audit_log_at_idx").on(table.at),
    index("audit_log_tool_id_idx").on(table.tool, table.id),
  ],
);

/** People who use the admin service. A null password hash means the one-time setup is pending. */
export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  username: text("username").notNull().unique(),
  role: text("role", { enum: ["admin", "operator", "viewer"] }).notNull(),
  passwordHash: text("password_hash"),
  /** Hash of the one-time setup token printed in the log when no ADMIN_PASSWORD is given. */
  setupTokenHash: text("setup_token_hash"),
  /** When the setup token stops working (SETUP_LINK_TTL_MS after it was logged). */
  setupTokenExpiresAt: timestamp("setup_token_expires_at", { withTimezone: true, mode: "date" }),
  failedLogins: integer("failed_logins").notNull().default(0),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  disabledAt: timestamp("disabled_at", { withTimezone: true, mode: "date" }),
});

/** Signed-in browser sessions of the admin service; the cookie holds a token, this table its hash. */
export const adminSessions = pgTable(
  "admin_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    csrfToken: text("csrf_token").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (table) => [index("admin_sessions_user_idx").on(table.userId)],
);

/** API keys for MCP clients. Only a hash of the secret is kept; the prefix identifies a key. */
export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  prefix: text("prefix").notNull().unique(),
  secretHash: text("secret_hash").notNull(),
  /** `{ "kind": "all" }`, `{ "kind": "tools", "tools": [...] }` or `{ "kind": "read-only" }`. */
  scope: jsonb("scope").notNull(),
  rateLimitPerMinute: integer("rate_limit_per_minute"),
  /** Tool name → the version hash this key keeps seeing and calling (see tool_versions). */
  pinnedVersions: jsonb("pinned_versions").notNull().default({}),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** What people changed about a tool; a tool without a row has its defaults. */
export const toolSettings = pgTable("tool_settings", {
  tool: text("tool").primaryKey(),
  enabled: boolean("enabled").notNull().default(true),
  descriptionOverride: text("description_override"),
  rateLimitPerMinute: integer("rate_limit_per_minute"),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

/** Who changed which tool, key or user, when, with the state before and after. */
export const adminAudit = pgTable(
  "admin_audit",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (table) => [index("admin_audit_at_idx").on(table.at)],
);

/**
 * Values tools send (API tokens), by name: AES-256-GCM sealed with SECRETS_KEY, never readable
 * through the admin, referenced by name so that rotating one changes no tool.
 */
export const secrets = pgTable("secrets", {
  name: text("name").primaryKey(),
  sealed: text("sealed").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

/**
 * Every definition a tool has had, as its clients see it (and, for an HTTP tool, where it calls),
 * identified by the hash of that: clients only ever see an approved one. A tool keeps its `toolId`
 * across renames, so its history stays together.
 */
export const toolVersions = pgTable(
  "tool_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** `builtin:<name>` for a built-in tool; a uuid for an HTTP tool. */
    toolId: text("tool_id").notNull(),
    kind: text("kind", { enum: ["builtin", "http"] }).notNull(),
    name: text("name").notNull(),
    hash: text("hash").notNull(),
    definition: jsonb("definition").notNull(),
    status: text("status", { enum: ["pending", "approved", "superseded", "rejected"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
    decidedBy: text("decided_by"),
  },
  (table) => [
    uniqueIndex("tool_versions_tool_hash_idx").on(table.toolId, table.hash),
    index("tool_versions_status_idx").on(table.status),
  ],
);

/** The prompt library people manage in the admin: one row per prompt, pointing at its current version. */
export const prompts = pgTable("prompts", {
  name: text("name").primaryKey(),
  enabled: boolean("enabled").notNull().default(true),
  currentVersion: integer("current_version").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedBy: text("updated_by").notNull(),
});

/** Every version of every prompt, kept: a rollback makes a new version from an earlier one. */
export const promptVersions = pgTable(
  "prompt_versions",
  {
    name: text("name")
      .notNull()
      .references(() => prompts.name, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: jsonb("definition").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    createdBy: text("created_by").notNull(),
  },
  (table) => [primaryKey({ columns: [table.name, table.version] })],
);

/**
 * Tool calls that run as tasks (the io.modelcontextprotocol/tasks extension): their state lives here
 * so that any replica answers `tasks/get`, `tasks/update` and `tasks/cancel`. `owner` is the presence
 * id of the process running it: a task whose owner no longer beats is failed when next read.
 */
export const tasks = pgTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    principal: text("principal").notNull(),
    tool: text("tool").notNull(),
    owner: text("owner").notNull(),
    status: text("status", {
      enum: ["working", "input_required", "completed", "failed", "cancelled"],
    }).notNull(),
    statusMessage: text("status_message"),
    /** What the tool is waiting for, by wire key (status input_required). */
    inputRequests: jsonb("input_requests"),
    /** Answers given and not yet taken by the running tool, by wire key. */
    inputResponses: jsonb("input_responses"),
    /** Every input key the task has used: MCP asks that none be used twice in one task. */
    usedKeys: jsonb("used_keys").notNull().default([]),
    result: jsonb("result"),
    error: jsonb("error"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (table) => [
    // A caller's tasks: how many run (the per-caller limit), and their list (2025 tasks/list).
    index("tasks_principal_idx").on(table.principal, table.createdAt),
    index("tasks_status_idx").on(table.status, table.updatedAt),
    index("tasks_expires_at_idx").on(table.expiresAt),
  ],
);
