import type { AdminSession } from "@mcp-tools/core";
import type { PortabilityIssue, ToolVersion } from "@mcp-tools/core/catalog";
import type { ToolOverview } from "../api/tools-overview.js";
import { formatTime } from "./dashboard-format.js";
import { CsrfField, Layout, Message } from "./layout.js";
import { type CatalogEntry, stateOf } from "./tool-catalog.js";
import { percent, stateClass } from "./tools-view.js";
import { prettyDefinition, VersionDiff } from "./version-diff.js";

export interface ToolPageProps {
  session: AdminSession;
  tool: CatalogEntry;
  versions: ToolVersion[];
  /** What of the pending version's schemas some model providers would not take. */
  portability: PortabilityIssue[];
  error?: string | undefined;
  notice?: string | undefined;
}

const pretty = (value: unknown) => JSON.stringify(value ?? {}, null, 2);
const shortHash = (hash: string) => hash.slice(0, 12);

/** One tool: its state and settings, what waits for approval (with the diff), its versions. */
export function ToolPage({ session, tool, versions, portability, error, notice }: ToolPageProps) {
  const canChange = session.user.role !== "viewer";
  const base = `/tools/${encodeURIComponent(tool.name)}`;
  const state = stateOf(tool);
  return (
    <Layout title={tool.name} session={session} current="/tools">
      <p>
        <a href="/tools">← All tools</a>
      </p>
      <h1>
        {tool.name} <span class="tag">{tool.kind === "builtin" ? "built-in" : "HTTP"}</span>{" "}
        <span class={stateClass[state]}>{state}</span>
      </h1>
      <Message error={error} notice={notice} />
      <p>{tool.served?.settings.descriptionOverride ?? tool.description}</p>
      {canChange && (
        <p class="actions">
          {tool.served && (
            <form
              class="inline"
              method="post"
              action={`${base}/${state === "enabled" ? "disable" : "enable"}`}
            >
              <CsrfField session={session} />
              <button class={state === "enabled" ? "danger" : undefined} type="submit">
                {state === "enabled" ? "Disable" : "Enable"}
              </button>
            </form>
          )}
          {tool.served && (
            <a class="button secondary" href={`${base}/try`}>
              Try it
            </a>
          )}
          {tool.kind === "http" && (
            <a class="button secondary" href={`${base}/definition`}>
              Edit definition
            </a>
          )}
        </p>
      )}
      {tool.pending && (
        <PendingPanel session={session} tool={tool} pending={tool.pending} portability={portability} />
      )}
      {tool.served && <Served session={session} tool={tool.served} canChange={canChange} base={base} />}
      <h2>Versions</h2>
      <VersionTable versions={versions} />
    </Layout>
  );
}

function PendingPanel(props: {
  session: AdminSession;
  tool: CatalogEntry;
  pending: ToolVersion;
  portability: PortabilityIssue[];
}) {
  const { session, tool, pending, portability } = props;
  const decide = `/tools/${encodeURIComponent(tool.name)}/versions/${pending.id}`;
  return (
    <section class="panel pending" id="pending">
      <h2>Waiting for approval</h2>
      <p class="muted">
        Proposed by {pending.createdBy} on {formatTime(pending.createdAt)}.{" "}
        {tool.approved
          ? "Clients keep the approved version until an admin approves this one."
          : "Clients do not see this tool until an admin approves it."}
      </p>
      {portability.length > 0 && <PortabilityList issues={portability} />}
      {tool.approved ? (
        <>
          <h3>Changes against the approved version</h3>
          <VersionDiff before={tool.approved.definition} after={pending.definition} />
        </>
      ) : (
        <>
          <h3>The new tool</h3>
          <pre class="definition">{prettyDefinition(pending.definition)}</pre>
        </>
      )}
      {session.user.role === "admin" ? (
        <div class="actions">
          <form class="inline" method="post" action={`${decide}/approve`}>
            <CsrfField session={session} />
            <button type="submit">Approve</button>
          </form>
          <form class="inline" method="post" action={`${decide}/reject`}>
            <CsrfField session={session} />
            <button class="secondary" type="submit">
              Reject
            </button>
          </form>
        </div>
      ) : (
        <p class="muted">An admin approves or rejects it.</p>
      )}
    </section>
  );
}

/** Schema constructs some model providers reject or drop, each with the rewrite to make. */
export function PortabilityList({ issues }: { issues: PortabilityIssue[] }) {
  return (
    <div class="warning" role="status">
      <strong>Some clients may not take these schemas as they are:</strong>
      <ul>
        {issues.map((issue) => (
          <li>
            <code>{issue.path || "/"}</code>: {issue.problem} <span class="muted">{issue.suggestion}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Served(props: { session: AdminSession; tool: ToolOverview; canChange: boolean; base: string }) {
  const { session, tool, canChange, base } = props;
  const { stats, settings } = tool;
  return (
    <>
      <p class="muted">
        Last hour: {stats.calls} calls · {percent(stats.errorRate)} errors · p95{" "}
        {stats.p95Ms === null ? "–" : `${stats.p95Ms} ms`}
        {settings.rateLimitPerMinute !== null && ` · limited to ${settings.rateLimitPerMinute} calls/min`}
      </p>
      {settings.descriptionOverride && <p class="muted">Original description: {tool.description}</p>}
      {canChange && (
        <form class="stack panel" method="post" action={`${base}/settings`}>
          <CsrfField session={session} />
          <label>
            Description shown to clients (empty: the tool's own)
            <textarea name="descriptionOverride" rows={3} maxlength={10_000}>
              {settings.descriptionOverride ?? ""}
            </textarea>
          </label>
          <label>
            Rate limit, calls per minute across all callers (empty: none)
            <input
              name="rateLimitPerMinute"
              type="number"
              min={1}
              step={1}
              value={settings.rateLimitPerMinute?.toString() ?? ""}
            />
          </label>
          <button class="secondary" type="submit">
            Save settings
          </button>
        </form>
      )}
      <details>
        <summary>Schemas and annotations</summary>
        <h3>Annotations</h3>
        <pre>{pretty(tool.annotations)}</pre>
        <h3>Input schema</h3>
        <pre>{pretty(tool.inputSchema)}</pre>
        <h3>Output schema</h3>
        <pre>{pretty(tool.outputSchema)}</pre>
      </details>
    </>
  );
}

function VersionTable({ versions }: { versions: ToolVersion[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Version</th>
          <th>Name</th>
          <th>Status</th>
          <th>Proposed</th>
          <th>Decided</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((version) => (
          <tr>
            <td>
              <code title={version.hash}>{shortHash(version.hash)}</code>
            </td>
            <td>{version.name}</td>
            <td>{version.status}</td>
            <td>{`${formatTime(version.createdAt)} · ${version.createdBy}`}</td>
            <td>
              {version.decidedAt ? `${formatTime(version.decidedAt)} · ${version.decidedBy ?? ""}` : "–"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
