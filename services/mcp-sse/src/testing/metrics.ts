// Helpers for this package's tests; not exported from the package.
import type { AppContext } from "@mcp-tools/core";
import type { LimitName } from "../refusals.js";

/** `mcp_limit_refusals_total{limit}` of the server's context. */
export async function limitRefusals(server: { ctx: AppContext }, limit: LimitName): Promise<number> {
  const { values } = await server.ctx.metrics.limitRefusals.get();
  return values.find((value) => value.labels.limit === limit)?.value ?? 0;
}

/** One unlabelled sample of the server's /metrics page, as a scraper reads it. */
export async function scraped(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split("\n").find((row) => row.startsWith(`${name} `));
  if (line === undefined) throw new Error(`${name} is not on /metrics`);
  return Number(line.slice(name.length + 1));
}
