import { isIP } from "node:net";
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const list = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .optional();
// An address, or a range in CIDR notation: 10.0.0.0/8, fd00::/8.
const isAddressOrRange = (item: string) => {
  const [address = "", bits, ...rest] = item.split("/");
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
};
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());

/** Every setting the server reads, with its default. `.env.example` documents each key. */
export const Config = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  HOST: z.string().min(1).default("127.0.0.1"),
  MCP_PORT: port.default(9090),
  ADMIN_PORT: port.default(9091),
  PUBLIC_BASE_PATH: z
    .string()
    .regex(/^(\/[^/?#]+)*\/?$/, "must be a path such as /mcp-tools")
    .default("")
    .transform((path) => path.replace(/\/$/, "")),
  ALLOWED_ORIGINS: list,
  ALLOWED_HOSTS: list,
  // Peers whose X-Forwarded-For and X-Forwarded-Proto the admin service believes; none by default.
  TRUSTED_PROXIES: list
    .refine(
      (items) => (items ?? []).every(isAddressOrRange),
      "must be IP addresses or CIDR ranges, comma-separated",
    )
    .transform((items) => items ?? []),
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_MAX: positiveInt.default(10),
  DATA_DIR: z.string().min(1).default("./.data"),
  REDIS_URL: optionalUrl,
  REDIS_PREFIX: z.string().default("mcp-tools:"),
  // Signs the frames MCP replicas relay to each other over Redis; the same on every replica.
  RELAY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  // Seals the secrets tools send (AES-256-GCM): 32 random bytes, base64 (openssl rand -base64 32).
  SECRETS_KEY: z
    .string()
    .refine((text) => Buffer.from(text, "base64").length === 32 && /^[A-Za-z0-9+/]+=*$/.test(text), {
      message: "must be 32 bytes in base64 (openssl rand -base64 32)",
    })
    .optional(),
  // Hosts and address ranges tools may reach although they are not public (loopback, private…).
  EGRESS_ALLOW: list,
  // A built-in tool whose definition a new build changed is served at once, instead of waiting,
  // pending, for an admin's approval: for deployments that review the code instead.
  TOOLS_APPROVE_BUILTIN: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  // Serves the fixture tools the official MCP conformance suite calls (test_simple_text, …), beside
  // ours: for CI and for trying a client. Refused in production (see noFixturesInProduction).
  CONFORMANCE_FIXTURES: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  MAX_BODY_BYTES: positiveInt.default(4 * 1024 * 1024),
  TOOL_TIMEOUT_MS: positiveInt.default(30_000),
  // Tasks (tool calls that run on after their request): how long one may run, how long its state
  // and result are kept from its start, and how many one caller may have running at once.
  TASK_TIMEOUT_MS: positiveInt.default(15 * 60_000),
  TASK_TTL_MS: positiveInt.default(60 * 60_000),
  MAX_TASKS_PER_CALLER: positiveInt.default(10),
  SHUTDOWN_GRACE_MS: positiveInt.default(10_000),
  SSE_KEEPALIVE_MS: positiveInt.default(15_000),
  // A 2025-11-25 call's stream still open this long is closed; its client polls for the rest (0: never).
  SSE_POLL_AFTER_MS: z.coerce.number().int().min(0).default(0),
  SESSION_IDLE_TIMEOUT_MS: positiveInt.default(30 * 60_000),
  // Limits per caller on the MCP HTTP edge: an API key, or the peer address of a keyless caller.
  MAX_SESSIONS_PER_CALLER: positiveInt.default(100),
  MAX_STREAMS_PER_SESSION: positiveInt.default(32),
  MAX_IN_FLIGHT_CALLS: positiveInt.default(128),
  // The SDK's Streamable HTTP transport refuses more than 100 whatever we allow.
  MAX_BATCH_MESSAGES: positiveInt.max(100).default(100),
  STREAM_BUFFER_MAX_BYTES: positiveInt.default(16 * 1024 * 1024),
  AUDIT_BATCH_SIZE: positiveInt.default(500),
  AUDIT_FLUSH_INTERVAL_MS: positiveInt.default(200),
  AUDIT_QUEUE_MAX: positiveInt.default(100_000),
  AUDIT_QUEUE_MAX_BYTES: positiveInt.default(64 * 1024 * 1024),
  AUDIT_RETENTION_DAYS: positiveInt.default(90),
  // Creates the user `admin` on first start; never logged (loadConfig redacts it from errors).
  ADMIN_PASSWORD: z.string().optional(),
  ADMIN_SESSION_TTL_MS: positiveInt.default(12 * 60 * 60_000),
  SETUP_LINK_TTL_MS: positiveInt.default(60 * 60_000),
  LOGIN_MAX_ATTEMPTS: positiveInt.default(5),
  LOGIN_LOCKOUT_MS: positiveInt.default(15 * 60_000),
  LOGIN_HASH_CONCURRENCY: positiveInt.default(2),
  LOGIN_HASH_QUEUE: z.coerce.number().int().min(0).default(16),
  // Default computed in loadConfig: it depends on NODE_ENV.
  MCP_AUTH: z.enum(["required", "local", "off"]).optional(),
});

/**
 * Who may call MCP tools over HTTP without an API key: nobody (`required`), only a caller that
 * really is on this machine — a loopback TCP peer with no proxy header (`local`) — or anyone (`off`).
 */
export type McpAuthMode = "required" | "local" | "off";
export type Config = Omit<z.output<typeof Config>, "MCP_AUTH"> & { MCP_AUTH: McpAuthMode };

// Values that must never appear in an error message or a log line.
const secretKeys = new Set(["ADMIN_PASSWORD", "RELAY_SECRET", "SECRETS_KEY"]);

// A guessable first password, or a relay anyone on Redis can speak on, is an open door in
// production: refuse to start instead.
function productionSecrets(config: z.output<typeof Config>, ctx: z.RefinementCtx) {
  if (config.NODE_ENV !== "production") return;
  const password = config.ADMIN_PASSWORD;
  if (password !== undefined && password.length < 12) {
    ctx.addIssue({
      code: "custom",
      path: ["ADMIN_PASSWORD"],
      message: "must be at least 12 characters in production",
    });
  }
  if (config.REDIS_URL !== undefined && config.RELAY_SECRET === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["RELAY_SECRET"],
      message: "is required in production with REDIS_URL: it signs what replicas relay to each other",
    });
  }
}

// The fixtures exist for the suite (one always fails, one takes its time) and would show in every
// client's tool list: in production they are a mistake, never a choice.
function noFixturesInProduction(config: z.output<typeof Config>, ctx: z.RefinementCtx) {
  if (config.NODE_ENV !== "production" || !config.CONFORMANCE_FIXTURES) return;
  ctx.addIssue({
    code: "custom",
    path: ["CONFORMANCE_FIXTURES"],
    message: "must not be true in production: the conformance fixture tools are for tests",
  });
}

// Every request of a batch counts as in flight at once: a lower limit would refuse a full batch.
function batchFitsInFlight(config: z.output<typeof Config>, ctx: z.RefinementCtx) {
  if (config.MAX_IN_FLIGHT_CALLS >= config.MAX_BATCH_MESSAGES) return;
  ctx.addIssue({
    code: "custom",
    path: ["MAX_IN_FLIGHT_CALLS"],
    message: `must be at least MAX_BATCH_MESSAGES (${config.MAX_BATCH_MESSAGES})`,
  });
}

/** Thrown by `loadConfig`; the message names every bad key. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment once. Throws one `ConfigError` listing every bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(Config.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  // Parsed once: zod's compiled fast path would cost more to build than it saves.
  const result = Config.superRefine(productionSecrets)
    .superRefine(batchFitsInFlight)
    .superRefine(noFixturesInProduction)
    .safeParse(known, { jitless: true });
  if (result.success) return { ...result.data, MCP_AUTH: result.data.MCP_AUTH ?? defaultAuth(result.data) };
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "config");
    const got = secretKeys.has(key) ? "[redacted]" : JSON.stringify(env[key]);
    return `  ${key}: ${issue.message} (got ${got})`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}

/**
 * Keys are required in production. Elsewhere a caller on this machine may go without one, whatever
 * HOST is bound: the rule looks at each connection, not at the interface (a proxy on the same host
 * makes every remote client look local by Host, never by its TCP peer and headers).
 */
function defaultAuth({ NODE_ENV }: { NODE_ENV: string }): McpAuthMode {
  return NODE_ENV === "production" ? "required" : "local";
}
