import { loadConfig } from "../config/config.js";
import { createLogger } from "../log/log.js";
import { createDatabase } from "./client.js";
import { migrate } from "./migrate.js";

// `pnpm db:migrate`: apply the migrations and exit, for a deploy's one-shot migrate step.
const config = loadConfig();
const log = createLogger({ level: config.LOG_LEVEL });
const database = await createDatabase(config);
try {
  await migrate(database);
  log.info({ database: database.kind }, "migrations applied");
} finally {
  await database.close();
}
