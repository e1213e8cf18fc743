/** Who is calling: the local user on stdio, an anonymous or keyed client over HTTP. */
export interface Principal {
  /** Stable identifier recorded in the audit log. */
  id: string;
  kind: "local" | "anonymous" | "key" | "user";
}

/** Where a call came from, for audit and metrics. */
export type TransportName = "stdio" | "streamable-http" | "sse" | "in-memory";

export const localPrincipal: Principal = { id: "local", kind: "local" };
export const anonymousPrincipal: Principal = { id: "anonymous", kind: "anonymous" };
