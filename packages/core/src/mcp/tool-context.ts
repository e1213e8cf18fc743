import type { Database, Db } from "../db/client.js";
import type { Logger } from "../log/log.js";
import type { ToolContext } from "../tools/define.js";

/**
 * What one call's `run` gets. Its database is a view whose queries end with the call (timeout or
 * cancel), made on first use: a tool that never touches the database never pays for it.
 */
export class ToolCallContext implements ToolContext {
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly #database: Database;
  #db: Db | undefined;

  constructor(database: Database, log: Logger, signal: AbortSignal) {
    this.#database = database;
    this.log = log;
    this.signal = signal;
  }

  get db(): Db {
    this.#db ??= this.#database.withSignal(this.signal);
    return this.#db;
  }
}
