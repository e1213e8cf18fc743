import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { connectClient, echo, httpStatus, type TransportKind } from "./clients.js";

/** How an `echo` call ended: with its own text, or what went wrong. */
export type Outcome =
  | { answered: true }
  | { answered: false; error: string; status?: number; sessionGone: boolean };

/** One `echo` call of a load session, sent `at` and over `ms` later. */
export type Call = { text: string; at: number; ms: number } & Outcome;

export interface LoadSessionOptions {
  baseUrl: string;
  kind: TransportKind;
  /** Starts every call's text, so that the call's audit row can be told apart. */
  name: string;
  token: string;
  /** How long a call may take before it counts as unanswered. */
  callTimeoutMs?: number;
  /** A pause between calls, so that a few dozen sessions do not flood two cores. */
  pauseMs?: number;
}

export interface LoadSession {
  readonly name: string;
  readonly kind: TransportKind;
  /** Every call made so far, in order. */
  readonly calls: Call[];
  /** New sessions started after a call answered that the session was gone. */
  readonly restarts: number;
  /**
   * Connects tried again: refused with 503 (a replica shutting down takes no new session), or
   * answered 502 by nginx when the stopping replica's listener reset the connection it sent the
   * request on (the race relay-sigterm.test.ts's resetAtTheEdge describes; nginx does not resend
   * a POST), as a client starting over tries again.
   */
  readonly refusedConnects: number;
  /** Why the session stopped calling before `until()`: it could not start a new session. */
  readonly stoppedBy?: string;
  /** Calls `echo` until `until()`; a session that is gone (404) is started again, as clients do. */
  run(until: () => boolean): Promise<void>;
  close(): Promise<void>;
}

const RETRIED_STATUSES = new Set([502, 503]);

/** A real client's session, calling `echo` in a loop (see `LoadSession`). */
export async function startLoadSession({
  baseUrl,
  kind,
  name,
  token,
  callTimeoutMs = 10_000,
  pauseMs = 10,
}: LoadSessionOptions): Promise<LoadSession> {
  const calls: Call[] = [];
  let restarts = 0;
  let refusedConnects = 0;
  let stoppedBy: string | undefined;

  async function connect(): Promise<Client> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await connectClient(baseUrl, kind, name, { token })).client;
      } catch (error) {
        if (!RETRIED_STATUSES.has(httpStatus(error) ?? 0) || attempt === 5) throw error;
        refusedConnects += 1;
      }
    }
  }

  let client = await connect();
  return {
    name,
    kind,
    calls,
    get restarts() {
      return restarts;
    },
    get refusedConnects() {
      return refusedConnects;
    },
    get stoppedBy() {
      return stoppedBy;
    },
    async run(until) {
      for (let i = 0; !until(); i++) {
        const text = `${name} call ${i}`;
        const at = Date.now();
        const outcome = await echo(client, text, callTimeoutMs).then(
          (answer): Outcome =>
            answer === text
              ? { answered: true }
              : { answered: false, error: `answered "${answer}"`, sessionGone: false },
          (error: unknown): Outcome => {
            const status = httpStatus(error);
            const sessionGone = status === 404 || /session not found/i.test(String(error));
            return { answered: false, error: String(error), status, sessionGone };
          },
        );
        calls.push({ text, at, ms: Date.now() - at, ...outcome });
        if (!outcome.answered && outcome.sessionGone) {
          await client.close().catch(() => undefined);
          try {
            client = await connect();
          } catch (error) {
            stoppedBy = String(error);
            return;
          }
          restarts += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    },
    close: () => client.close(),
  };
}
