import type { AdminSession, Dashboard } from "@mcp-tools/core";
import { CallsChart } from "./calls-chart.js";
import { ago, formatTime, percent, transportsOf } from "./dashboard-format.js";
import { Layout } from "./layout.js";

export interface DashboardPageProps {
  session: AdminSession;
  dashboard: Dashboard;
  now: Date;
}

/** Health of the dependencies, processes online, open sessions, call rates and audit queues. */
export function DashboardPage({ session, dashboard, now }: DashboardPageProps) {
  const { checks, processes, sessions, calls, audit } = dashboard;
  const totalSessions = Object.values(sessions).reduce((sum, count) => sum + count, 0);
  return (
    <Layout title="Dashboard" session={session} current="/">
      <h1>Dashboard</h1>
      <div class="stats">
        <Stat label="Processes online" value={String(processes.length)} />
        <Stat label="Open MCP sessions" value={String(totalSessions)} />
        <Stat label="Calls, last 15 min" value={calls ? String(calls.calls) : "–"} />
        <Stat label="Error rate, last 15 min" value={calls ? percent(calls.errorRate, calls.calls) : "–"} />
        <Stat label="Audit queue" value={`${audit.depth} queued · ${audit.dropped} dropped`} />
      </div>

      <h2>Health</h2>
      <table>
        <thead>
          <tr>
            <th>Dependency</th>
            <th>Status</th>
            <th>Latency</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((check) => (
            <tr>
              <td>{check.name}</td>
              <td>
                <span class={check.ok ? "status ok" : "status bad"}>{check.ok ? "ok" : "failing"}</span>
              </td>
              <td>{`${check.latencyMs} ms`}</td>
              <td class="muted">{check.problem ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Sessions by transport</h2>
      <table>
        <tbody>
          {transportsOf(sessions).map((transport) => (
            <tr>
              <th>{transport}</th>
              <td>{String(sessions[transport] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/sessions">See every session</a>
      </p>

      <h2>Processes online</h2>
      {processes.length === 0 ? (
        <p class="panel muted">No process is reporting. Processes appear here within seconds of starting.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Process</th>
              <th>Host · pid</th>
              <th>Services</th>
              <th>Sessions</th>
              <th>Audit queue</th>
              <th>Started</th>
              <th>Last heartbeat</th>
            </tr>
          </thead>
          <tbody>
            {processes.map((process) => (
              <tr>
                <td>
                  <code>{process.id}</code>
                </td>
                <td>{`${process.host} · ${process.pid}`}</td>
                <td>{process.services.join(", ")}</td>
                <td>{String(Object.values(process.sessions).reduce((sum, n) => sum + n, 0))}</td>
                <td>{`${process.audit.depth} · ${process.audit.dropped} dropped`}</td>
                <td title={formatTime(process.startedAt)}>{ago(process.startedAt, now)}</td>
                <td title={formatTime(process.lastBeat)}>{ago(process.lastBeat, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Tool calls per minute</h2>
      {calls === null ? (
        <p class="error" role="alert">
          Call rates are unavailable: the database did not answer.
        </p>
      ) : (
        <CallsPanel calls={calls} />
      )}
    </Layout>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class="panel stat">
      <div class="muted">{label}</div>
      <div class="figure">{value}</div>
    </div>
  );
}

function CallsPanel({ calls }: { calls: NonNullable<Dashboard["calls"]> }) {
  if (calls.calls === 0) return <p class="panel muted">No tool calls in the last 15 minutes.</p>;
  const most = Math.max(...calls.minutes.map((minute) => minute.calls));
  return (
    <>
      <CallsChart minutes={calls.minutes} />
      <details>
        <summary>The figures, minute by minute</summary>
        <CallsTable calls={calls} most={most} />
      </details>
    </>
  );
}

function CallsTable({ calls, most }: { calls: NonNullable<Dashboard["calls"]>; most: number }) {
  return (
    <table class="calls">
      <thead>
        <tr>
          <th>Minute</th>
          <th>Calls</th>
          <th>Errors</th>
          <th>Error rate</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {calls.minutes.map((minute) => (
          <tr>
            <td>{formatTime(minute.minute).slice(11, 16)}</td>
            <td>{String(minute.calls)}</td>
            <td>{String(minute.errors)}</td>
            <td>{percent(minute.calls === 0 ? 0 : minute.errors / minute.calls, minute.calls)}</td>
            <td>
              <meter min={0} max={most} value={minute.calls} aria-label={`${minute.calls} calls`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
