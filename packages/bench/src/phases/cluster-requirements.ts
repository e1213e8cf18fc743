import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export type ClusterRequirements =
  | { ok: true; nginx: string; databaseUrl: string; redisUrl: string }
  | { ok: false; reason: string };

// Debian and most distributions install nginx in sbin, which is often not on a user's PATH.
const SBIN = ["/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"];

/**
 * What the cluster scenarios need from the environment: nginx (BENCH_NGINX, else found on PATH or
 * in sbin), and the PostgreSQL and Redis the replicas share (DATABASE_URL, REDIS_URL).
 */
export function clusterRequirements(
  env: Record<string, string | undefined>,
  isExecutable: (path: string) => boolean = executable,
): ClusterRequirements {
  const nginx = env.BENCH_NGINX
    ? [env.BENCH_NGINX].filter(isExecutable)[0]
    : [...(env.PATH ?? "").split(delimiter).filter(Boolean), ...SBIN]
        .map((dir) => join(dir, "nginx"))
        .find(isExecutable);
  const missing = [
    nginx
      ? undefined
      : env.BENCH_NGINX
        ? `BENCH_NGINX (${env.BENCH_NGINX}) is not executable`
        : "nginx is not installed",
    env.DATABASE_URL ? undefined : "DATABASE_URL is not set",
    env.REDIS_URL ? undefined : "REDIS_URL is not set",
  ].filter((reason) => reason !== undefined);
  if (!nginx || !env.DATABASE_URL || !env.REDIS_URL) {
    return {
      ok: false,
      reason: `${missing.join(", ")} (3 replicas share PostgreSQL and Redis behind nginx)`,
    };
  }
  return { ok: true, nginx, databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL };
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
