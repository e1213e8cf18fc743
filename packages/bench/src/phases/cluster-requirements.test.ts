import { describe, expect, it } from "vitest";
import { clusterRequirements } from "./cluster-requirements.js";

const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);
const services = { DATABASE_URL: "postgres://db/test", REDIS_URL: "redis://cache" };

describe("clusterRequirements", () => {
  it("finds nginx in sbin when PATH does not have it", () => {
    expect(clusterRequirements({ ...services, PATH: "/usr/bin" }, only("/usr/sbin/nginx"))).toEqual({
      ok: true,
      nginx: "/usr/sbin/nginx",
      databaseUrl: "postgres://db/test",
      redisUrl: "redis://cache",
    });
  });

  it("says everything that is missing in one reason", () => {
    const result = clusterRequirements({ PATH: "/usr/bin", REDIS_URL: "redis://cache" }, only());
    expect(result).toEqual({
      ok: false,
      reason:
        "nginx is not installed, DATABASE_URL is not set (3 replicas share PostgreSQL and Redis behind nginx)",
    });
  });

  it("takes BENCH_NGINX as given, and refuses it when it is not executable", () => {
    const result = clusterRequirements({ ...services, BENCH_NGINX: "/opt/nginx" }, only("/usr/sbin/nginx"));
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^BENCH_NGINX \(\/opt\/nginx\) is not executable/),
    });
  });
});
