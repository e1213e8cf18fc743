const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a database error, looked for down its causes: drizzle wraps the driver's error. */
export function sqlStateOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    if ("code" in current && typeof current.code === "string" && SQLSTATE.test(current.code))
      return current.code;
    current = current.cause;
  }
  return undefined;
}
