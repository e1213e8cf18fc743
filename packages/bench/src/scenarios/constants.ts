/** What every echo call sends: short, like a client's connectivity check. */
export const ECHO_TEXT = "hello from mcp-bench";

/** A call that takes longer than this means the server is stuck; the run fails instead of hanging. */
export const CALL_TIMEOUT_MS = 15_000;

/**
 * How long an idle process is left after its call before its resident set is read: queued audit
 * rows are written within 200 ms (AUDIT_FLUSH_INTERVAL_MS), and the resident set has stopped moving
 * a quarter of a second after the answer (read every 250 ms for 8 s after a note call over stdio).
 */
export const IDLE_SETTLE_MS = 1_000;

/** The note the idle scenarios save, so that the embedded database is open and has been written to. */
export const BENCH_NOTE = {
  title: "mcp-bench",
  body: "Saved so that the database is open.",
  tags: ["bench"],
};
