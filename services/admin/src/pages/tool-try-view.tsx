import type { AdminSession } from "@mcp-tools/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolOverview } from "../api/tools-overview.js";
import { CsrfField, Layout, Message } from "./layout.js";

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

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
        <a href={`/tools/${encodeURIComponent(tool.name)}`}>Back to {tool.name}</a>
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
