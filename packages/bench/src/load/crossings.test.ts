import { describe, expect, it } from "vitest";
import { countCrossings, RELAYED_METRIC, sumCounter } from "./crossings.js";

const exposition = `# HELP mcp_relayed_requests_total MCP requests relayed to the process holding their session.
# TYPE mcp_relayed_requests_total counter
mcp_relayed_requests_total{route="mcp",outcome="answered"} 120
mcp_relayed_requests_total{route="messages",outcome="answered"} 30
mcp_relayed_requests_total{route="mcp",outcome="no-answer"} 2
mcp_relayed_requests_total_created{route="mcp",outcome="answered"} 1764080000
mcp_relayed_requests_other 99
# TYPE mcp_sessions gauge
mcp_sessions{transport="sse"} 4
`;

describe("sumCounter", () => {
  it("sums every label set of the counter, and nothing that only starts with its name", () => {
    expect(sumCounter(exposition, RELAYED_METRIC)).toBe(152);
  });

  it("reads 0 from a process that has relayed nothing yet", () => {
    expect(sumCounter("# TYPE mcp_relayed_requests_total counter\n", RELAYED_METRIC)).toBe(0);
  });

  it("refuses a sample that is not a number", () => {
    expect(() => sumCounter(`${RELAYED_METRIC}{route="mcp"} NaNx\n`, RELAYED_METRIC)).toThrow(/Bad sample/);
  });
});

describe("countCrossings", () => {
  it("divides what all replicas relayed between the readings by the calls sent meanwhile", () => {
    expect(countCrossings([10, 0, 5], [410, 300, 305], 1_500)).toEqual({
      relayed: 1_000,
      calls: 1_500,
      share: 1_000 / 1_500,
    });
  });

  it("is 0 when every call reached the replica holding its session", () => {
    expect(countCrossings([7, 7, 7], [7, 7, 7], 900).share).toBe(0);
  });

  it("refuses readings where a counter went down (a replica restarted)", () => {
    expect(() => countCrossings([5, 0, 0], [4, 0, 0], 10)).toThrow(/went down on replica 1/);
  });
});
