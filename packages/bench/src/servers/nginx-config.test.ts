import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Balancing, deriveNginxConfig, SERVERS_INCLUDE, serversInclude } from "./nginx-config.js";

const shipped = await readFile(new URL("../../../../deploy/nginx.conf", import.meta.url), "utf8");
const NGINX = "/usr/sbin/nginx";

/** The text of the first `name { … }` block (no nested blocks in the ones checked here). */
function block(conf: string, name: RegExp): string {
  const match = new RegExp(`${name.source}\\s*\\{([^}]*)\\}`).exec(conf);
  if (!match?.[1]) throw new Error(`no ${name.source} block`);
  return match[1];
}

describe("deriveNginxConfig, from the shipped deploy/nginx.conf", () => {
  const derive = (balancing: Balancing) => deriveNginxConfig(shipped, { listenPort: 18090, balancing });

  it("moves the MCP server to the given port and drops the admin service", () => {
    const conf = derive("round-robin");
    expect(conf.match(/^\s*listen\s[^;]*;/gm)?.map((line) => line.trim())).toEqual([
      "listen 127.0.0.1:18090;",
    ]);
    const directives = conf.replace(/#[^\n]*/g, "");
    expect(directives).not.toMatch(/admin-servers\.conf|proxy_pass http:\/\/admin|upstream admin|9091/);
    expect(conf).toContain("proxy_pass http://mcp;");
    expect(conf).toContain(`include ${SERVERS_INCLUDE};`);
  });

  it("turns every access log off and keeps the error log on stderr", () => {
    const conf = derive("round-robin");
    expect(conf.match(/^\s*access_log\s[^;]*;/gm)?.map((line) => line.trim())).toEqual(["access_log off;"]);
    expect(conf).toMatch(/^error_log stderr/m);
  });

  it("keeps the shipped access log when asked to", () => {
    const conf = deriveNginxConfig(shipped, { listenPort: 18090, balancing: "round-robin", accessLog: true });
    expect(conf.match(/^\s*access_log\s[^;]*;/gm)?.map((line) => line.trim())).toEqual([
      "access_log /dev/stdout mcp;",
    ]);
    expect(conf).toMatch(/^\s*log_format mcp .*upstream=\$upstream_addr/ms);
  });

  it("writes the balancing line of each topology into `upstream mcp`, and only that one", () => {
    const directives = (balancing: Balancing) =>
      block(derive(balancing), /upstream mcp/)
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => /^(hash|ip_hash|least_conn|random)\b/.test(line));
    expect(directives("round-robin")).toEqual([]);
    expect(directives("session-hash")).toEqual(["hash $http_mcp_session_id$arg_sessionId consistent;"]);
    expect(directives("client-hash")).toEqual(["hash $http_x_bench_client consistent;"]);
  });

  it("replaces a balancing line the shipped file has with the topology's", () => {
    const hashed = shipped.replace(/(upstream mcp \{\n)/, "$1        ip_hash;\n        hash $remote_addr;\n");
    expect(hashed).toContain("hash $remote_addr;");
    const upstream = (balancing: Balancing) =>
      block(deriveNginxConfig(hashed, { listenPort: 1, balancing }), /upstream mcp/);
    expect(upstream("round-robin")).not.toMatch(/hash/);
    expect(upstream("client-hash")).toMatch(/^\s*hash \$http_x_bench_client consistent;$/m);
    expect(upstream("client-hash")).not.toMatch(/remote_addr|ip_hash/);
  });

  it("keeps the rest of the upstream as shipped", () => {
    const upstream = block(derive("client-hash"), /upstream mcp/);
    for (const line of block(shipped, /upstream mcp/).split("\n")) {
      if (/^\s*(hash|ip_hash|least_conn|random)\b/.test(line)) continue;
      expect(upstream).toContain(line);
    }
  });

  it("refuses a config without the MCP upstream it edits", () => {
    const renamed = shipped.replaceAll("upstream mcp", "upstream other");
    expect(() => deriveNginxConfig(renamed, { listenPort: 1, balancing: "round-robin" })).toThrow(
      /expected one `upstream mcp`, found 0/,
    );
  });

  it.runIf(existsSync(NGINX))("is a config nginx accepts (nginx -t)", async () => {
    const prefix = await mkdtemp(join(tmpdir(), "mcp-bench-nginx-test-"));
    try {
      await mkdir(join(prefix, "nginx"));
      await writeFile(join(prefix, SERVERS_INCLUDE), serversInclude([18091, 18092, 18093]));
      for (const balancing of ["round-robin", "session-hash", "client-hash"] as const) {
        await writeFile(join(prefix, "nginx.conf"), derive(balancing));
        const test = spawnSync(
          NGINX,
          ["-t", "-c", join(prefix, "nginx.conf"), "-p", `${prefix}/`, "-e", "stderr"],
          {
            encoding: "utf8",
          },
        );
        expect(test.stderr).toContain("test is successful");
      }
    } finally {
      await rm(prefix, { recursive: true, force: true });
    }
  });
});

describe("serversInclude", () => {
  it("lists one server line per replica port", () => {
    expect(serversInclude([1, 2, 3])).toBe("server 127.0.0.1:1;\nserver 127.0.0.1:2;\nserver 127.0.0.1:3;\n");
  });
});
