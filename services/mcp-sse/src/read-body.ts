import type { IncomingMessage } from "node:http";
import type { Principal } from "@mcp-tools/core";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "hono";
import { RpcCode, rpcError } from "./json-rpc.js";
import { refuseOversizedBody } from "./oversized-body.js";
import type { LimitRefusals } from "./refusals.js";

/** Hono env when served by @hono/node-server; `app.request()` passes no env at all. */
export type McpEnv = {
  Bindings: { incoming?: IncomingMessage };
  /** Set by `bearerAuth` on every MCP route. */
  Variables: { principal: Principal };
};

export type JsonRpcBody = JSONRPCMessage | JSONRPCMessage[];
export type ReadResult = { ok: true; body: JsonRpcBody } | { ok: false; response: Response };

/** What a body may hold: the same rules on /mcp and /messages. */
export interface BodyLimits {
  /** MAX_BODY_BYTES. */
  maxBytes: number;
  /** MAX_BATCH_MESSAGES. */
  maxBatch: number;
  refusals: Pick<LimitRefusals, "batch">;
}

/**
 * Reads a JSON-RPC body of at most `maxBytes`: 413 for a declared Content-Length over the limit
 * before reading anything, and as soon as a body without one grows past it (nothing more is
 * buffered); 400 / -32700 for bad JSON; 400 / -32600 for a batch of more than `maxBatch` messages
 * (before any is validated) and for JSON that is not JSON-RPC (the SDK would call that a parse
 * error too, which tells a client the wrong thing to fix).
 */
export async function readJsonRpcBody(
  c: Context<McpEnv>,
  { maxBytes, maxBatch, refusals }: BodyLimits,
): Promise<ReadResult> {
  const incoming = c.env?.incoming;
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > maxBytes) return { ok: false, response: refuseOversizedBody(incoming, maxBytes, declared) };
  let text: string | undefined;
  try {
    text = incoming ? await readIncoming(incoming, maxBytes) : await readStream(c.req.raw.body, maxBytes);
  } catch {
    return {
      ok: false,
      response: rpcError(400, RpcCode.serverError, "Bad Request: the body could not be read"),
    };
  }
  if (text === undefined) return { ok: false, response: refuseOversizedBody(incoming, maxBytes) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: rpcError(400, RpcCode.parseError, "Parse error: Invalid JSON") };
  }
  if (Array.isArray(value) && value.length > maxBatch)
    return { ok: false, response: refusals.batch(maxBatch) };
  if (!isJsonRpc(value)) {
    return {
      ok: false,
      response: rpcError(400, RpcCode.invalidRequest, "Invalid Request: not a JSON-RPC 2.0 message or batch"),
    };
  }
  return { ok: true, body: value };
}

function isJsonRpc(value: unknown): value is JsonRpcBody {
  if (!Array.isArray(value)) return isJsonRpcMessage(value);
  return value.length > 0 && value.every(isJsonRpcMessage);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isId = (value: unknown) => typeof value === "string" || Number.isSafeInteger(value);
const onlyKeys = (message: Record<string, unknown>, allowed: ReadonlySet<string>) =>
  Object.keys(message).every((key) => allowed.has(key));
const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);
const RESULT_KEYS = new Set(["jsonrpc", "id", "result"]);
const ERROR_KEYS = new Set(["jsonrpc", "id", "error"]);

/**
 * JSON-RPC 2.0 §4–5 as the SDK's JSONRPCMessageSchema has it (a request, notification, result or
 * error, params and result objects), checked by hand: it runs on every message, and a schema
 * library costs several times more for the same answer.
 */
export function isJsonRpcMessage(message: unknown): boolean {
  if (!isObject(message) || message.jsonrpc !== "2.0") return false;
  if ("method" in message) {
    if (typeof message.method !== "string" || !onlyKeys(message, REQUEST_KEYS)) return false;
    if ("id" in message && !isId(message.id)) return false;
    if (!("params" in message)) return true;
    return isObject(message.params) && (!("_meta" in message.params) || isObject(message.params._meta));
  }
  if ("result" in message)
    return isId(message.id) && isObject(message.result) && onlyKeys(message, RESULT_KEYS);
  if (!isObject(message.error) || !onlyKeys(message, ERROR_KEYS)) return false;
  const { code, message: text } = message.error;
  return Number.isSafeInteger(code) && typeof text === "string" && (!("id" in message) || isId(message.id));
}

/**
 * Reads straight from Node's request stream. Going through `c.req.raw.body` would make
 * @hono/node-server build a full web Request and a web stream over the socket for every call.
 */
function readIncoming(
  incoming: IncomingMessage,
  maxBytes: number,
): Promise<string | undefined> | string | undefined {
  if (incoming.readableEnded) return "";
  // Small bodies usually arrive with the headers: all of it is buffered already, read it at once.
  if (incoming.complete) return readBuffered(incoming, maxBytes);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(utf8(chunks));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => onError(new Error("connection closed before the body ended"));
    const done = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}

function readBuffered(incoming: IncomingMessage, maxBytes: number): string | undefined {
  if (incoming.readableLength > maxBytes) return undefined;
  const chunks: Buffer[] = [];
  for (let chunk: Buffer | null = incoming.read(); chunk !== null; chunk = incoming.read())
    chunks.push(chunk);
  return utf8(chunks);
}

function utf8(chunks: Buffer[]): string {
  const [first] = chunks;
  return chunks.length === 1 && first ? first.toString("utf8") : Buffer.concat(chunks).toString("utf8");
}

async function readStream(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<string | undefined> {
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}
