/** What every echo call sends: short, like a client's connectivity check. */
export const ECHO_TEXT = "hello from mcp-bench";

/** A call that takes longer than this means the server is stuck; the run fails instead of hanging. */
export const CALL_TIMEOUT_MS = 15_000;
