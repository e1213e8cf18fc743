import { lookup } from "node:dns/promises";
import { Agent, buildConnector } from "undici";
import { AppError } from "../errors.js";
import { type EgressPolicy, unbracket } from "./policy.js";

/** Turns a host name into the addresses it stands for, first choice first. */
export type Resolve = (hostname: string) => Promise<readonly string[]>;

/** Opens the connection once the address is settled: undici's own, or a test's. */
export type Connect = buildConnector.connector;

export interface EgressAgentOptions {
  policy: EgressPolicy;
  resolve?: Resolve;
  connect?: Connect;
  connectTimeoutMs?: number;
}

const systemResolve: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The one way out for tools: an undici Agent whose every connection (each redirect's included)
 * resolves the host itself, checks the address it is about to connect to against the policy, and
 * connects to that very address, so a name cannot resolve to one address for the check and
 * another for the connection. TLS still verifies the certificate against the host name.
 */
export function createEgressAgent({
  policy,
  resolve = systemResolve,
  connect = buildConnector({ timeout: 10_000 }),
  connectTimeoutMs = 10_000,
}: EgressAgentOptions): Agent {
  const guarded: Connect = (options, callback) => {
    const host = unbracket(options.hostname);
    addressFor(host, resolve, connectTimeoutMs).then(
      (address) => {
        const refusal = policy.refusal(host, address);
        if (refusal) return callback(new AppError("FORBIDDEN", `Refused to connect: ${refusal}`), null);
        connect(
          { ...options, hostname: address, servername: options.servername ?? serverName(host) },
          callback,
        );
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
  return new Agent({ connect: guarded });
}

async function addressFor(host: string, resolve: Resolve, timeoutMs: number): Promise<string> {
  if (isIpLiteral(host)) return host;
  const addresses = await withTimeout(
    resolve(host),
    timeoutMs,
    `Resolving ${host} took over ${timeoutMs} ms`,
  );
  const [first] = addresses;
  if (first === undefined) throw new AppError("BAD_GATEWAY", `${host} resolves to no address`);
  return first;
}

const isIpLiteral = (host: string) => /^[\d.]+$/.test(host) || host.includes(":");

/** SNI names a host, never an address (RFC 6066 §3). */
const serverName = (host: string) => (isIpLiteral(host) ? undefined : host);

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("TIMEOUT", message)), ms);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
