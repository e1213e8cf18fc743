import type { AdminSession } from "@mcp-tools/core";
import { Layout, Message } from "./layout.js";
import { type CatalogEntry, type CatalogFilter, stateOf, titleOf } from "./tool-catalog.js";

export interface ToolsPageProps {
  session: AdminSession;
  tools: CatalogEntry[];
  /** How many tools there are before the filter. */
  total: number;
  filter: CatalogFilter;
  error?: string | undefined;
  notice?: string | undefined;
}

/** How each state reads: enabled in green, disabled in red, a tool not served yet in plain text. */
export const stateClass = { enabled: "status ok", disabled: "status bad", "not served": "status" } as const;

export const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 1)}%`;

/** Every tool in a table a person can search and filter; each name leads to the tool's page. */
export function ToolsPage({ session, tools, total, filter, error, notice }: ToolsPageProps) {
  const canChange = session.user.role !== "viewer";
  const waiting = tools.filter((tool) => tool.pending).length;
  return (
    <Layout title="Tools" session={session} current="/tools">
      <h1>Tools</h1>
      <Message error={error} notice={notice} />
      {canChange && (
        <p class="actions">
          <a class="button" href="/tools/add-http">
            New HTTP tool
          </a>
          <a class="button secondary" href="/tools/import-openapi">
            Import from OpenAPI
          </a>
          <a class="button secondary" href="/secrets">
            Secrets
          </a>
        </p>
      )}
      <FilterForm filter={filter} />
      <p class="muted" id="tool-count">
        {tools.length === total ? `${total} tools` : `${tools.length} of ${total} tools`}
        {waiting > 0 && ` · ${waiting} waiting for approval`}
      </p>
      {tools.length === 0 ? (
        <p class="panel muted">No tool matches.</p>
      ) : (
        <table class="tools">
          <thead>
            <tr>
              <th>Tool</th>
              <th>Kind</th>
              <th>State</th>
              <th>Approval</th>
              <th>Calls, last hour</th>
              <th>Errors</th>
              <th>p95</th>
            </tr>
          </thead>
          <tbody>
            {tools.map((tool) => (
              <ToolRow tool={tool} />
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

function FilterForm({ filter }: { filter: CatalogFilter }) {
  return (
    <search>
      <form class="filters" method="get" action="/tools">
        <label>
          Search
          <input name="q" type="search" value={filter.q ?? ""} placeholder="name, title or description" />
        </label>
        <label>
          Kind
          <select name="kind">
            <Option value="" current={filter.kind} label="any" />
            <Option value="builtin" current={filter.kind} label="built-in" />
            <Option value="http" current={filter.kind} label="HTTP" />
          </select>
        </label>
        <label>
          State
          <select name="state">
            <Option value="" current={filter.state} label="any" />
            <Option value="enabled" current={filter.state} label="enabled" />
            <Option value="disabled" current={filter.state} label="disabled" />
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="pending" value="1" checked={filter.pending === true} />
          Waiting for approval
        </label>
        <button class="secondary" type="submit">
          Filter
        </button>
      </form>
    </search>
  );
}

function Option({ value, current, label }: { value: string; current: string | undefined; label: string }) {
  return (
    <option value={value} selected={(current ?? "") === value}>
      {label}
    </option>
  );
}

function ToolRow({ tool }: { tool: CatalogEntry }) {
  const stats = tool.served?.stats;
  const state = stateOf(tool);
  return (
    <tr id={`tool-${tool.name}`}>
      <td>
        <a href={`/tools/${encodeURIComponent(tool.name)}`}>
          <strong>{tool.name}</strong>
        </a>
        <div class="muted small">{titleOf(tool)}</div>
      </td>
      <td>{tool.kind === "builtin" ? "built-in" : "HTTP"}</td>
      <td>
        <span class={stateClass[state]}>{state}</span>
      </td>
      <td>{tool.pending ? <span class="tag pending">pending</span> : "approved"}</td>
      <td>{stats ? String(stats.calls) : "–"}</td>
      <td class={stats && stats.errorRate > 0 ? "bad" : undefined}>
        {stats ? percent(stats.errorRate) : "–"}
      </td>
      <td>{stats?.p95Ms == null ? "–" : `${stats.p95Ms} ms`}</td>
    </tr>
  );
}
