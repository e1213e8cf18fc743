/** How nginx spreads requests over the replicas, written into the shipped config's `upstream mcp`. */
export type Balancing = "round-robin" | "session-hash" | "client-hash";

/**
 * The balancing line of each: none is nginx's round-robin; `hash` with an empty key (a request
 * without a session id: `initialize`, `GET /sse`) falls back to round-robin.
 */
export const balancingLines: Record<Balancing, string | undefined> = {
  "round-robin": undefined,
  "session-hash": "hash $http_mcp_session_id$arg_sessionId consistent;",
  "client-hash": "hash $http_x_bench_client consistent;",
};

export interface DeriveOptions {
  /** Where the MCP server block listens instead of its shipped port (on 127.0.0.1). */
  listenPort: number;
  balancing: Balancing;
  /**
   * Keep the shipped access log (one line per request, naming the replica that answered). Off by
   * default: on two cores, writing it costs the CPU a bench measures.
   */
  accessLog?: boolean;
}

/** The include the shipped config reads its MCP replicas from, relative to the config file. */
export const SERVERS_INCLUDE = "nginx/mcp-servers.conf";

/**
 * The shipped deploy/nginx.conf, changed only where a bench must: the MCP server listens on
 * `listenPort`, the upstream balances as asked (any balancing line shipped is replaced), the admin
 * upstream and server are dropped (no admin service runs), and the access log is off unless asked
 * for (`accessLog`). Throws when the file no longer has the shape these edits rely on, so the bench
 * never measures something else silently.
 */
export function deriveNginxConfig(
  shipped: string,
  { listenPort, balancing, accessLog = false }: DeriveOptions,
): string {
  const blocks = listBlocks(shipped);
  const find = (what: string, test: (block: Block) => boolean) => {
    const found = blocks.filter(test);
    if (found.length !== 1) throw new Error(`deploy/nginx.conf: expected one ${what}, found ${found.length}`);
    return found[0] as Block;
  };
  const body = (block: Block) => shipped.slice(block.bodyStart, block.end - 1);
  const mcpUpstream = find("`upstream mcp`", (block) => block.header === "upstream mcp");
  const mcpServer = find("server proxying to http://mcp", (block) => isServerFor(block, body(block), "mcp"));
  if (!body(mcpUpstream).includes(`include ${SERVERS_INCLUDE};`)) {
    throw new Error(`deploy/nginx.conf: \`upstream mcp\` no longer includes ${SERVERS_INCLUDE}`);
  }
  const edits: Edit[] = [
    { block: mcpUpstream, replacement: balance(body(mcpUpstream), balancingLines[balancing]) },
    { block: mcpServer, replacement: listenOn(body(mcpServer), listenPort) },
    ...blocks
      .filter((block) => block.header === "upstream admin" || isServerFor(block, body(block), "admin"))
      .map((block) => ({ block, replacement: undefined })),
  ];
  const derived = applyEdits(shipped, edits);
  return accessLog ? derived : accessLogOff(derived);
}

/** The include's content: one `server` line per replica port. */
export function serversInclude(ports: readonly number[]): string {
  return `${ports.map((port) => `server 127.0.0.1:${port};`).join("\n")}\n`;
}

interface Block {
  /** The directive and its arguments, comments dropped: `upstream mcp`, `server`, `location /`. */
  header: string;
  /** Where the directive starts (after any comment lines before it). */
  start: number;
  /** Just after its `{`. */
  bodyStart: number;
  /** Just after its `}`. */
  end: number;
}

/** A block's new body, or `undefined` to remove the block. */
interface Edit {
  block: Block;
  replacement: string | undefined;
}

const BALANCING_DIRECTIVE = /^[ \t]*(hash|ip_hash|least_conn|random)\b[^;]*;[^\n]*\n?/gm;

function balance(upstream: string, line: string | undefined): string {
  const plain = upstream.replace(BALANCING_DIRECTIVE, "");
  if (!line) return plain;
  const include = new RegExp(`^([ \\t]*)include ${SERVERS_INCLUDE.replace(/[./]/g, "\\$&")};[^\\n]*\\n`, "m");
  return plain.replace(include, (match, indent: string) => `${match}${indent}${line}\n`);
}

function listenOn(server: string, port: number): string {
  let first = true;
  return server.replace(/^([ \t]*)listen\s[^;]*;[^\n]*\n?/gm, (_match, indent: string) => {
    if (!first) return "";
    first = false;
    return `${indent}listen 127.0.0.1:${port};\n`;
  });
}

function accessLogOff(conf: string): string {
  const off = conf.replace(/^([ \t]*)access_log\s[^;]*;/gm, "$1access_log off;");
  return off === conf && !/^\s*access_log off;/m.test(conf)
    ? conf.replace(/^(\s*http\s*\{[^\n]*\n)/m, "$1    access_log off;\n")
    : off;
}

const isServerFor = (block: Block, body: string, upstream: string) =>
  block.header === "server" && new RegExp(`proxy_pass\\s+http://${upstream}[/;]`).test(body);

function applyEdits(conf: string, edits: readonly Edit[]): string {
  let text = conf;
  for (const { block, replacement } of [...edits].sort((a, b) => b.block.start - a.block.start)) {
    text =
      replacement === undefined
        ? text.slice(0, block.start).replace(/[ \t]*$/, "") + text.slice(block.end).replace(/^[ \t]*\n/, "")
        : text.slice(0, block.bodyStart) + replacement + text.slice(block.end - 1);
  }
  return text;
}

/** Every `{ … }` block of an nginx config, outermost last; quotes and comments are skipped. */
function listBlocks(conf: string): Block[] {
  const blocks: Block[] = [];
  const open: Omit<Block, "end">[] = [];
  let statement = 0;
  for (let i = 0; i < conf.length; i += 1) {
    const char = conf[i];
    if (char === "#") i = lineEnd(conf, i);
    else if (char === '"' || char === "'") i = quoteEnd(conf, i);
    else if (char === ";") statement = i + 1;
    else if (char === "{") {
      const start = directiveStart(conf, statement);
      const header = conf
        .slice(start, i)
        .replace(/#[^\n]*/g, "")
        .replace(/\s+/g, " ")
        .trim();
      open.push({ header, start, bodyStart: i + 1 });
      statement = i + 1;
    } else if (char === "}") {
      const block = open.pop();
      if (!block) throw new Error("deploy/nginx.conf: unbalanced `}`");
      blocks.push({ ...block, end: i + 1 });
      statement = i + 1;
    }
  }
  if (open.length > 0) throw new Error("deploy/nginx.conf: unclosed `{`");
  return blocks;
}

function directiveStart(conf: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < conf.length && /\s/.test(conf[i] ?? "")) i += 1;
    if (conf[i] !== "#") return i;
    i = lineEnd(conf, i) + 1;
  }
}

function lineEnd(conf: string, from: number): number {
  const end = conf.indexOf("\n", from);
  return end === -1 ? conf.length : end;
}

function quoteEnd(conf: string, from: number): number {
  const quote = conf[from];
  for (let i = from + 1; i < conf.length; i += 1) {
    if (conf[i] === "\\") i += 1;
    else if (conf[i] === quote) return i;
  }
  return conf.length;
}
