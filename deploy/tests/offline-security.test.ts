// What keeps a deployment closed, read from the recipes themselves: MCP keys required, Redis
// behind a password, the relay signed, and (on Kubernetes) the datastores reachable from
// mcp-tools alone. No Docker engine or cluster: Compose's shell commands run against stand-ins.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { afterAll, describe, expect, it } from "vitest";
import { exampleEnv, loadCompose, testSecrets } from "./offline/compose.js";
import { loadManifests, ofKind } from "./offline/k8s.js";

describe("docker-compose.yml", () => {
  const { services } = loadCompose({ ...exampleEnv(), ...testSecrets });
  const redis = services.redis ?? {};
  // Stand-ins for redis-server and redis-cli that write down what they were given.
  const bin = mkdtempSync(join(tmpdir(), "compose-redis-"));
  const seen = join(bin, "seen");
  writeFileSync(join(bin, "redis-server"), `#!/bin/sh\nprintf '%s\\n' "$@" > "${seen}"\n`);
  writeFileSync(join(bin, "redis-cli"), `#!/bin/sh\nprintf '%s' "$REDISCLI_AUTH" > "${seen}"\necho PONG\n`);
  for (const name of ["redis-server", "redis-cli"]) chmodSync(join(bin, name), 0o755);
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  /** Runs a command of the redis service as its container would: its environment, our stand-ins. */
  const runInRedis = ([command = "", ...args]: string[]) => {
    rmSync(seen, { force: true });
    const result = spawnSync(command, args, {
      encoding: "utf8",
      env: { PATH: `${bin}:${process.env.PATH}`, ...redis.environment },
    });
    return { status: result.status, seen: readFileSync(seen, "utf8") };
  };

  it("runs every mcp-tools service with MCP keys required, Redis's password and the relay secret", () => {
    for (const name of ["migrate", "mcp", "admin"]) {
      const env = services[name]?.environment ?? {};
      expect(env.MCP_AUTH, name).toBe("required");
      expect(env.RELAY_SECRET, name).toBe(testSecrets.RELAY_SECRET);
      const url = new URL(env.REDIS_URL ?? "");
      expect({ host: url.host, password: url.password }, name).toEqual({
        host: "redis:6379",
        password: testSecrets.REDIS_PASSWORD,
      });
    }
  });

  it("starts Redis with that password required, and checks its health with it", () => {
    expect(redis.environment?.REDIS_PASSWORD).toBe(testSecrets.REDIS_PASSWORD);
    const started = runInRedis(redis.command ?? []);
    expect(started.status).toBe(0);
    expect(started.seen.split("\n").slice(0, -1)).toEqual([
      "--save",
      "",
      "--appendonly",
      "no",
      "--requirepass",
      testSecrets.REDIS_PASSWORD,
    ]);
    const [kind, ...check] = redis.healthcheck?.test ?? [];
    expect(kind).toBe("CMD-SHELL");
    const probed = runInRedis(["sh", "-c", check.join(" ")]);
    expect(probed).toEqual({ status: 0, seen: testSecrets.REDIS_PASSWORD });
  });
});

describe("Kubernetes manifests", () => {
  const manifests = loadManifests();
  const deployments = ofKind(manifests, Deployment.is);
  const jobs = ofKind(manifests, Job.is);
  const config = ofKind(manifests, ConfigMap.is)[0]?.data ?? {};
  const secret = ofKind(manifests, Secret.is)[0]?.stringData ?? {};
  const policies = ofKind(manifests, NetworkPolicy.is);
  const pods = [...deployments, ...jobs].map((workload) => ({
    name: workload.metadata?.name ?? "",
    labels: workload.spec?.template.metadata?.labels ?? {},
    spec: workload.spec?.template.spec,
  }));

  it("gives every pod the settings: MCP keys required, Redis's password and the relay secret", () => {
    expect(config.MCP_AUTH).toBe("required");
    const redisUrl = new URL(secret.REDIS_URL ?? "");
    expect(redisUrl.protocol).toMatch(/^rediss?:$/);
    expect(redisUrl.password).not.toBe("");
    expect(secret.RELAY_SECRET?.length).toBeGreaterThanOrEqual(32);
    expect(pods.map((pod) => pod.name).sort()).toEqual([
      "mcp-tools-admin",
      "mcp-tools-mcp-sse",
      "mcp-tools-migrate",
    ]);
    for (const pod of pods) {
      const sources = pod.spec?.containers[0]?.envFrom ?? [];
      expect(sources, pod.name).toEqual([
        { configMapRef: { name: "mcp-tools-config" } },
        { secretRef: { name: "mcp-tools-secrets" } },
      ]);
    }
  });

  const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
    selector !== undefined && Object.entries(selector).every(([key, value]) => labels[key] === value);

  it.each([
    ["postgresql", 5432, ["mcp-tools-admin", "mcp-tools-mcp-sse", "mcp-tools-migrate"]],
    ["redis", 6379, ["mcp-tools-admin", "mcp-tools-mcp-sse"]],
  ] as const)("lets only mcp-tools pods (and its own) reach %s, on port %d", (datastore, port, clients) => {
    const ownLabels = { "app.kubernetes.io/name": datastore };
    const policy = policies.find((p) => selects(p.spec?.podSelector.matchLabels, ownLabels));
    expect(policy, `a NetworkPolicy selecting ${datastore}'s pods`).toBeDefined();
    expect(policy?.spec?.podSelector.matchExpressions).toBeUndefined();
    expect(policy?.spec?.policyTypes).toContain("Ingress");
    const rules = policy?.spec?.ingress ?? [];
    const peers = rules.flatMap((rule) => rule.from ?? []);
    // A rule without `from` admits every source; ipBlock and namespaceSelector reach past the namespace.
    expect(rules.every((rule) => (rule.from ?? []).length > 0)).toBe(true);
    expect(peers.every((peer) => !peer.ipBlock && !peer.namespaceSelector && !!peer.podSelector)).toBe(true);
    const admitted = (labels: Record<string, string>) =>
      rules.some(
        (rule) =>
          (rule.from ?? []).some((peer) => selects(peer.podSelector?.matchLabels, labels)) &&
          (rule.ports === undefined || rule.ports.some((p) => p.port === port)),
      );
    for (const pod of pods.filter((p) => (clients as readonly string[]).includes(p.name))) {
      expect(admitted(pod.labels), `${pod.name} reaches ${datastore}`).toBe(true);
    }
    // Each peer is mcp-tools or the datastore itself, never a wider selector.
    for (const peer of peers) {
      const labels = peer.podSelector?.matchLabels ?? {};
      expect(peer.podSelector?.matchExpressions).toBeUndefined();
      expect([{ "app.kubernetes.io/part-of": "mcp-tools" }, ownLabels]).toContainEqual(labels);
    }
    expect(admitted({ "app.kubernetes.io/name": "someone-else" })).toBe(false);
  });
});
