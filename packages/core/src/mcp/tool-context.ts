import type { AppContext } from "../context.js";
import type { Database, Db } from "../db/client.js";
import { AppError } from "../errors.js";
import type { Logger } from "../log/log.js";
import type { ResourceUpdates } from "../resources/updates.js";
import type { ToolContext } from "../tools/define.js";
import { boundedData, type ClientLogSink, type LoggingLevel, reaches } from "./client-log.js";
import type { InputAsker, InputRequests, InputResponses } from "./input.js";

/** One progress report as the protocol carries it, without the request's token. */
export interface Progress {
  progress: number;
  total?: number;
  message?: string;
}

/** Sends a call's progress to its client: given by the edge only when the request asked for it. */
export type ProgressSink = (progress: Progress) => void;

/** What a call may send its client besides the result, each only where the client asked for it. */
export interface ClientChannel {
  progress?: ProgressSink | undefined;
  /** Log messages of `minimum` and above. */
  log?: { minimum: LoggingLevel; send: ClientLogSink } | undefined;
  /** Questions for the client, as the era asks them. */
  ask?: InputAsker | undefined;
}

const MAX_INPUT_REQUESTS = 10;
const MAX_INPUT_KEY_CHARS = 64;

const MAX_PROGRESS_MESSAGE_CHARS = 500;

/**
 * What one call's `run` gets. Its signal and its database (a view whose queries end with the
 * call) are made on first use: a tool that never looks at them, such as echo, never pays for them.
 */
export class ToolCallContext implements ToolContext {
  readonly log: Logger;
  readonly #database: Database;
  readonly #ending: CallEnding;
  readonly #channel: ClientChannel;
  readonly #updates: Pick<ResourceUpdates, "publish">;
  #db: Db | undefined;
  #lastProgress = Number.NEGATIVE_INFINITY;

  constructor(
    { db, log, resourceUpdates }: Pick<AppContext, "db" | "log" | "resourceUpdates">,
    ending: CallEnding,
    channel: ClientChannel = {},
  ) {
    this.#database = db;
    this.log = log;
    this.#updates = resourceUpdates;
    this.#ending = ending;
    this.#channel = channel;
  }

  async ask(requests: InputRequests): Promise<InputResponses> {
    const ask = this.#channel.ask;
    if (!ask) throw new AppError("INVALID", "This client cannot be asked for input");
    const keys = Object.keys(requests);
    if (keys.length === 0 || keys.length > MAX_INPUT_REQUESTS || keys.some((key) => !validKey(key)))
      throw new Error(
        `ask: 1 to ${MAX_INPUT_REQUESTS} requests, keyed by 1 to ${MAX_INPUT_KEY_CHARS} characters`,
      );
    return ask(requests);
  }

  resourceChanged(uri: string): void {
    this.#updates.publish(uri);
  }

  progress(done: number, total?: number, message?: string): void {
    const sink = this.#channel.progress;
    // The protocol asks that progress grow with every report, and none may follow the result.
    if (!sink || this.#ending.ended || !Number.isFinite(done) || done <= this.#lastProgress) return;
    this.#lastProgress = done;
    sink({
      progress: done,
      ...(total !== undefined && Number.isFinite(total) && { total }),
      ...(message !== undefined && { message: message.slice(0, MAX_PROGRESS_MESSAGE_CHARS).toWellFormed() }),
    });
  }

  clientLog(level: LoggingLevel, data: unknown, logger?: string): void {
    const log = this.#channel.log;
    if (!log || this.#ending.ended || !reaches(level, log.minimum)) return;
    log.send({
      level,
      ...(logger !== undefined && { logger: logger.slice(0, 100).toWellFormed() }),
      data: boundedData(data),
    });
  }

  get signal(): AbortSignal {
    return this.#ending.signal;
  }

  get db(): Db {
    this.#db ??= this.#database.withSignal(this.signal);
    return this.#db;
  }
}

const validKey = (key: string) => key.length > 0 && key.length <= MAX_INPUT_KEY_CHARS;

/**
 * How a call ends early: its client cancels (`cancel`), or `end` is called (a timeout). Its signal,
 * an AbortController and a listener on `cancel`, is made when a tool first asks for it: on a light
 * call those cost as much as the tool.
 */
export class CallEnding {
  readonly #cancel: AbortSignal;
  #controller: AbortController | undefined;
  #ended: { reason: unknown } | undefined;
  #released = false;
  readonly #onCancel = () => this.end(this.#cancel.reason);

  constructor(cancel: AbortSignal) {
    this.#cancel = cancel;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#ended) this.#controller.abort(this.#ended.reason);
      else if (this.#cancel.aborted) this.#controller.abort(this.#cancel.reason);
      else this.#cancel.addEventListener("abort", this.#onCancel, { once: true });
    }
    return this.#controller.signal;
  }

  /** Whether the call is over: ended early, or returned. */
  get ended(): boolean {
    return this.#ended !== undefined || this.#released || this.#cancel.aborted;
  }

  /** Ends the call with `reason`, unless it has ended already. */
  end(reason: unknown): void {
    if (this.#ended) return;
    this.#ended = { reason };
    this.#controller?.abort(reason);
  }

  /** Stops listening to `cancel`, once the call is over. */
  release(): void {
    this.#released = true;
    this.#cancel.removeEventListener("abort", this.#onCancel);
  }
}
