import type { AdminActionRecord, AdminSession, ToolCallFilter, ToolCallRecord } from "@mcp-tools/core";
import { filterParams, OUTCOMES } from "../api/audit-filter.js";
import { Layout } from "./layout.js";

const when = (date: Date) => date.toISOString().replace(/\.\d+Z$/, "Z");
const pretty = (value: unknown) => JSON.stringify(value, null, 2);
// datetime-local wants "YYYY-MM-DDTHH:MM[:SS]" without a zone; the form says the times are UTC.
const local = (date: Date | undefined) => date?.toISOString().slice(0, 19);

export interface AuditPageProps {
  session: AdminSession;
  filter: ToolCallFilter;
  rows: ToolCallRecord[];
  next: number | undefined;
  tools: string[];
}

/** The tool-call log: filters, one page of rows, a link to the next page and to the CSV export. */
export function AuditPage({ session, filter, rows, next, tools }: AuditPageProps) {
  const params = filterParams(filter);
  const nextParams = new URLSearchParams(params);
  if (next !== undefined) nextParams.set("before", String(next));
  return (
    <Layout title="Audit" session={session} current="/audit">
      <h1>Tool calls</h1>
      <p>
        <a href="/audit/admin">Admin actions</a> · <a href={`/audit.csv?${params}`}>Export these as CSV</a>
      </p>
      <form class="filters panel" method="get" action="/audit">
        <label>
          Tool
          <select name="tool">
            <option value="">any</option>
            {tools.map((tool) => (
              <option value={tool} selected={tool === filter.tool}>
                {tool}
              </option>
            ))}
          </select>
        </label>
        <label>
          Principal or key
          <input name="principal" value={filter.principal} placeholder="user:ann, key:abc123…" />
        </label>
        <label>
          Outcome
          <select name="outcome">
            <option value="">any</option>
            {OUTCOMES.map((outcome) => (
              <option value={outcome} selected={outcome === filter.outcome}>
                {outcome}
              </option>
            ))}
          </select>
        </label>
        <label>
          From (UTC)
          <input name="from" type="datetime-local" step={1} value={local(filter.from)} />
        </label>
        <label>
          To (UTC)
          <input name="to" type="datetime-local" step={1} value={local(filter.to)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {rows.length === 0 ? (
        <p class="muted">No tool calls match.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Tool</th>
              <th>Principal</th>
              <th>Transport</th>
              <th>Outcome</th>
              <th>Duration</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td>
                  <a href={`/audit/${row.id}`}>{when(row.at)}</a>
                </td>
                <td>{row.tool}</td>
                <td>{row.principal}</td>
                <td class="muted">{row.transport}</td>
                <td class={row.outcome === "ok" ? undefined : "bad"}>{row.outcome}</td>
                <td class="muted">{row.durationMs} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== undefined && (
        <p>
          <a class="button secondary" href={`/audit?${nextParams}`}>
            Older calls
          </a>
        </p>
      )}
    </Layout>
  );
}

/** One tool call with its arguments and error. */
export function AuditDetailPage({ session, row }: { session: AdminSession; row: ToolCallRecord }) {
  return (
    <Layout title={`Tool call ${row.id}`} session={session} current="/audit">
      <h1>Tool call {row.id}</h1>
      <div class="panel">
        <dl class="facts">
          <dt>When</dt>
          <dd>{when(row.at)}</dd>
          <dt>Tool</dt>
          <dd>{row.tool}</dd>
          <dt>Principal</dt>
          <dd>{row.principal}</dd>
          <dt>Transport</dt>
          <dd>{row.transport}</dd>
          <dt>Session</dt>
          <dd>{row.sessionId ?? "–"}</dd>
          <dt>Outcome</dt>
          <dd>{row.outcome}</dd>
          <dt>Duration</dt>
          <dd>{row.durationMs} ms</dd>
        </dl>
        <h2>Arguments</h2>
        <pre>{row.arguments === null ? "(none recorded)" : pretty(row.arguments)}</pre>
        {row.error && (
          <>
            <h2>Error</h2>
            <pre class="error">{row.error}</pre>
          </>
        )}
      </div>
      <p>
        <a href="/audit">Back to the log</a>
      </p>
    </Layout>
  );
}

export interface AdminAuditPageProps {
  session: AdminSession;
  rows: AdminActionRecord[];
  next: number | undefined;
}

/** Who changed which tool, key or user, with the state before and after. */
export function AdminAuditPage({ session, rows, next }: AdminAuditPageProps) {
  return (
    <Layout title="Admin actions" session={session} current="/audit">
      <h1>Admin actions</h1>
      <p>
        <a href="/audit">Tool calls</a>
      </p>
      {rows.length === 0 ? (
        <p class="muted">No admin actions recorded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
              <th>Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr>
                <td class="muted">{when(row.at)}</td>
                <td>{row.actor}</td>
                <td>{row.action}</td>
                <td>
                  {row.targetType} <code>{row.targetId}</code>
                </td>
                <td>
                  <details>
                    <summary>Before and after</summary>
                    <pre>{`before: ${pretty(row.before)}\nafter: ${pretty(row.after)}`}</pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next !== undefined && (
        <p>
          <a class="button secondary" href={`/audit/admin?before=${next}`}>
            Older actions
          </a>
        </p>
      )}
    </Layout>
  );
}
