import type { AdminSession } from "@mcp-tools/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolOverview } from "../api/tools-overview.js";
import { CsrfField, Layout, Message } from "./layout.js";

export interface ToolsPageProps {
  session: AdminSession;
  tools: ToolOverview[];
  error?: string | undefined;
  notice?: string | undefined;
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)}%`;

// The MCP annotation hints a person cares about at a glance; the full object is in the details.
function hintsOf(tool: ToolOverview): string[] {
  const hints = tool.annotations ?? {};
  return [
    hints.readOnlyHint === true ? "read-only" : "writes",
    hints.destructiveHint === true ? "destructive" : undefined,
    hints.idempotentHint === true ? "idempotent" : undefined,
    hints.openWorldHint === true ? "open world" : undefined,
  ].filter((hint): hint is string => hint !== undefined);
}

/** Every tool with its schemas, settings and last-hour stats; change forms unless read-only. */
export function ToolsPage({ session, tools, error, notice }: ToolsPageProps) {
  const canChange = session.user.role !== "viewer";
  return (
    <Layout title="Tools" session={session} current="/tools">
      <h1>Tools</h1>
      <Message error={error} notice={notice} />
      {tools.length === 0 && <p class="muted">No tools are registered.</p>}
      {tools.map((tool) => (
        <section class="panel tool" id={`tool-${tool.name}`}>
          <h2>
            {tool.name} <span class="tag">{tool.settings.enabled ? "enabled" : "disabled"}</span>
          </h2>
          <p>{tool.settings.descriptionOverride ?? tool.description}</p>
          <p class="actions">
            {hintsOf(tool).map((hint) => (
              <span class="tag">{hint}</span>
            ))}
          </p>
          {tool.settings.descriptionOverride && <p class="muted">Original description: {tool.description}</p>}
          <p class="muted">
            Last hour: {tool.stats.calls} calls · {percent(tool.stats.errorRate)} errors · p95{" "}
            {tool.stats.p95Ms === null ? "–" : `${tool.stats.p95Ms} ms`}
            {tool.settings.rateLimitPerMinute !== null &&
              ` · limited to ${tool.settings.rateLimitPerMinute} calls/min`}
          </p>
          <details>
            <summary>Schemas and annotations</summary>
            <h3>Annotations</h3>
            <pre>{pretty(tool.annotations ?? {})}</pre>
            <h3>Input schema</h3>
            <pre>{pretty(tool.inputSchema)}</pre>
            <h3>Output schema</h3>
            <pre>{pretty(tool.outputSchema ?? {})}</pre>
          </details>
          {canChange && <ToolForms session={session} tool={tool} />}
        </section>
      ))}
    </Layout>
  );
}

function ToolForms({ session, tool }: { session: AdminSession; tool: ToolOverview }) {
  const base = `/tools/${encodeURIComponent(tool.name)}`;
  return (
    <div class="stack">
      <div class="actions">
        <form class="inline" method="post" action={`${base}/${tool.settings.enabled ? "disable" : "enable"}`}>
          <CsrfField session={session} />
          <button class={tool.settings.enabled ? "danger" : undefined} type="submit">
            {tool.settings.enabled ? "Disable" : "Enable"}
          </button>
        </form>
        <a class="button secondary" href={`${base}/try`}>
          Try it
        </a>
      </div>
      <form class="stack" method="post" action={`${base}/settings`}>
        <CsrfField session={session} />
        <label>
          Description shown to clients (empty: the tool's own)
          <textarea name="descriptionOverride" rows={3} maxlength={10_000}>
            {tool.settings.descriptionOverride ?? ""}
          </textarea>
        </label>
        <label>
          Rate limit, calls per minute across all callers (empty: none)
          <input
            name="rateLimitPerMinute"
            type="number"
            min={1}
            step={1}
            value={tool.settings.rateLimitPerMinute?.toString() ?? ""}
          />
        </label>
        <button class="secondary" type="submit">
          Save settings
        </button>
      </form>
    </div>
  );
}

export interface TryPageProps {
  session: AdminSession;
  tool: ToolOverview;
  args: string;
  error?: string | undefined;
  result?: CallToolResult | undefined;
}

/** The "try it" form of one tool and, after a run, its result. */
export function TryPage({ session, tool, args, error, result }: TryPageProps) {
  const action = `/tools/${encodeURIComponent(tool.name)}/try`;
  return (
    <Layout title={`Try ${tool.name}`} session={session} current="/tools">
      <h1>Try {tool.name}</h1>
      <p class="muted">
        Runs the tool as <strong>user:{session.user.username}</strong>; the call is audited under that name.
      </p>
      <Message error={error} />
      <form class="stack panel" method="post" action={action}>
        <CsrfField session={session} />
        <label>
          Arguments (JSON object)
          <textarea name="arguments" rows={8} class="code">
            {args}
          </textarea>
        </label>
        <button type="submit">Run</button>
      </form>
      <details>
        <summary>Input schema</summary>
        <pre>{pretty(tool.inputSchema)}</pre>
      </details>
      {result && <TryResult result={result} />}
      <p>
        <a href="/tools">Back to the tools</a>
      </p>
    </Layout>
  );
}

function TryResult({ result }: { result: CallToolResult }) {
  const text = result.content.map((part) => (part.type === "text" ? part.text : `[${part.type}]`)).join("\n");
  return (
    <section class="panel">
      <h2>{result.isError ? "The tool answered with an error" : "Result"}</h2>
      {result.isError ? (
        <pre class="error">{text}</pre>
      ) : (
        <pre>{result.structuredContent ? pretty(result.structuredContent) : text}</pre>
      )}
    </section>
  );
}
