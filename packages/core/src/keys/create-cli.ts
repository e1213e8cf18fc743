import { parseArgs } from "node:util";
import { loadConfig } from "../config/config.js";
import { createDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { createLogger } from "../log/log.js";
import { builtinTools } from "../tools/builtin.js";
import { createApiKey } from "./create.js";
import { parseScope } from "./scope.js";

// `pnpm keys:create --name NAME [--scope all|read-only|tools:a,b] [--expires-days N] [--rate-limit N]`:
// a key for a client before the admin UI exists. The secret goes to stdout once; logs go to stderr.
const usage =
  "usage: pnpm keys:create --name NAME [--scope all|read-only|tools:a,b] [--expires-days N] [--rate-limit N]";

const { values } = parseArgs({
  options: {
    name: { type: "string" },
    scope: { type: "string", default: "all" },
    "expires-days": { type: "string" },
    "rate-limit": { type: "string" },
  },
});

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) fail(`--${flag} must be a positive whole number`);
  return value;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

if (!values.name) fail("--name is required");
let scope: ReturnType<typeof parseScope>;
try {
  scope = parseScope(values.scope);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
// A typo in an allow-list would make a key that sees nothing; refuse it instead.
const unknown =
  scope.kind === "tools" ? scope.tools.filter((t) => !builtinTools.some((b) => b.name === t)) : [];
if (unknown.length > 0) fail(`Unknown tool(s): ${unknown.join(", ")}`);
const days = positive("expires-days", values["expires-days"]);
const rateLimitPerMinute = positive("rate-limit", values["rate-limit"]);

const config = loadConfig();
const log = createLogger({ level: config.LOG_LEVEL });
const database = await createDatabase(config);
try {
  await migrate(database);
  const { key, secret } = await createApiKey(database.db, {
    name: values.name,
    scope,
    expiresAt: days === undefined ? null : new Date(Date.now() + days * 86_400_000),
    rateLimitPerMinute,
    createdBy: "cli",
  });
  log.info({ id: key.id, prefix: key.prefix, scope: key.scope }, "API key created");
  process.stdout.write(
    `${secret}\n\nShown once; only its hash is stored. Clients send it on /mcp and /sse as:\n` +
      `  Authorization: Bearer ${secret}\n`,
  );
} finally {
  await database.close();
}
