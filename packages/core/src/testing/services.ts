import { randomBytes } from "node:crypto";
import postgres from "postgres";

type ServiceKey = "DATABASE_URL" | "REDIS_URL";

/**
 * The URL of a real PostgreSQL or Redis for integration tests, or undefined (the caller skips,
 * with the message this prints). In CI a missing service fails the run instead of skipping.
 */
export function realServiceUrl(key: ServiceKey): string | undefined {
  const url = process.env[key];
  if (url) return url;
  const message = `${key} is not set: tests against a real ${key === "DATABASE_URL" ? "PostgreSQL" : "Redis"} are skipped`;
  if (process.env.CI) throw new Error(`${message}, but CI must run them`);
  console.warn(message);
  return undefined;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the given server, so each test file owns its rows. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `mcp_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** A key prefix no other test uses, to isolate tests sharing one Redis. */
export const uniquePrefix = () => `mcp-test:${randomBytes(6).toString("hex")}:`;
