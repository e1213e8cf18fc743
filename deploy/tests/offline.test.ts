// Checks of the deploy files that need no Docker engine, no cluster and no network: schemas,
// linters and the entry scripts' choices (with stand-ins for node and supervisord).
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isInstalled } from "./offline/binary.js";
import { composeErrors, exampleEnv, interpolate, loadCompose, testSecrets } from "./offline/compose.js";
import { contextSources, dockerfileErrors, execForm, finalStage } from "./offline/dockerfile.js";
import { k8sDir, loadManifests, manifestFiles, ofKind, validateManifest } from "./offline/k8s.js";
import { deployDir, readDeployFile, rootDir } from "./offline/paths.js";

/**
 * Whether a test that needs `name` runs: yes when it is installed; skipped with a warning when it is
 * not, except with CI set, where the test runs and fails saying what is missing.
 */
function needsBinary(name: string, install: string): { available: boolean; skip: boolean } {
  const available = isInstalled(name);
  const skip = !available && !process.env.CI;
  if (skip) console.warn(`skipping the tests that need ${name}: it is not installed (${install})`);
  return { available, skip };
}

describe("Kubernetes manifests", () => {
  const manifests = loadManifests();

  it.each(manifests.map((m) => [m.file, m] as const))(
    "%s validates against the Kubernetes schema",
    (_, m) => {
      validateManifest(m);
    },
  );

  it("kustomization.yaml lists every manifest and nothing else", () => {
    const kustomization = parse(readFileSync(join(k8sDir, "kustomization.yaml"), "utf8")) as {
      resources?: string[];
    };
    expect([...(kustomization.resources ?? [])].sort()).toEqual(manifestFiles());
  });

  it("each Deployment probes, drains before SIGTERM, runs locked down and has a Service, PDB and HPA", () => {
    const deployments = ofKind(manifests, Deployment.is);
    const services = ofKind(manifests, Service.is);
    const budgets = ofKind(manifests, PodDisruptionBudget.is);
    const autoscalers = ofKind(manifests, HorizontalPodAutoscaler.is);
    const config = ofKind(manifests, ConfigMap.is)[0]?.data ?? {};
    const graceSeconds = Number(config.SHUTDOWN_GRACE_MS) / 1000;
    expect(graceSeconds).toBeGreaterThan(0);
    expect(deployments.map((d) => d.metadata?.name).sort()).toEqual(["mcp-tools-admin", "mcp-tools-mcp-sse"]);

    for (const deployment of deployments) {
      const name = deployment.metadata?.name;
      const pod = deployment.spec?.template.spec;
      const labels = deployment.spec?.template.metadata?.labels ?? {};
      const container = pod?.containers[0];
      expect(pod?.securityContext?.runAsNonRoot, name).toBe(true);
      expect(container?.securityContext, name).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(container?.resources?.requests, name).toBeDefined();
      expect(container?.livenessProbe?.httpGet?.path, name).toBe("/health");
      expect(container?.readinessProbe?.httpGet?.path, name).toBe("/ready");
      expect(container?.startupProbe?.httpGet?.path, name).toBe("/health");
      const preStop = container?.lifecycle?.preStop?.exec?.command ?? [];
      expect(preStop[0], name).toBe("sleep");
      const preStopSeconds = Number(preStop[1]);
      expect(pod?.terminationGracePeriodSeconds, name).toBeGreaterThan(graceSeconds + preStopSeconds);

      const selects = (selector: Record<string, string> | undefined) =>
        selector !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);
      const service = services.find((s) => selects(s.spec?.selector));
      expect(service, `${name}: a Service selecting its pods`).toBeDefined();
      const portNames = container?.ports?.map((p) => p.name) ?? [];
      expect(portNames, name).toContain(service?.spec?.ports?.[0]?.targetPort);
      expect(
        budgets.some((b) => selects(b.spec?.selector?.matchLabels)),
        `${name}: a PDB`,
      ).toBe(true);
      expect(
        autoscalers.some((h) => h.spec?.scaleTargetRef.name === name),
        `${name}: an HPA`,
      ).toBe(true);
    }
  });
});

describe("Dockerfile", () => {
  const dockerfile = readDeployFile("Dockerfile");
  const stage = finalStage(dockerfile);
  const last = (keyword: string) => stage.filter((i) => i.getKeyword() === keyword).at(-1);

  it("passes dockerfile-utils' validation", () => {
    expect(dockerfileErrors(dockerfile)).toEqual([]);
  });

  it("runs as a non-root user, under tini, in exec form, with a HEALTHCHECK", () => {
    const user = last("USER")?.getArgumentsContent()?.trim() ?? "";
    expect(user, "USER of the final stage").toMatch(/^[^\s]+$/);
    expect(user.split(":")[0]).not.toMatch(/^(root|0)$/);
    expect(
      stage.some((i) => i.getKeyword() === "RUN" && /\btini\b/.test(i.getArgumentsContent() ?? "")),
    ).toBe(true);
    const entrypoint = execForm(last("ENTRYPOINT"));
    expect(entrypoint?.slice(0, 2), "ENTRYPOINT in exec form, tini first").toEqual(["/usr/bin/tini", "--"]);
    expect(execForm(last("CMD")), "CMD in exec form").toEqual(["--transport", "sse", "--admin"]);
    const healthcheck = last("HEALTHCHECK")?.getArgumentsContent() ?? "";
    expect(healthcheck, "HEALTHCHECK of the final stage").toMatch(/CMD \[.*\/health/s);
    expect(last("EXPOSE")?.getArgumentsContent()?.split(/\s+/)).toEqual(["9090", "9091"]);
  });

  it("copies only files that exist in the build context", () => {
    const sources = contextSources(stage);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(join(rootDir, source)), source).toBe(true);
  });
});

describe("docker-compose.yml", () => {
  const text = readDeployFile("docker-compose.yml");
  const env = { ...exampleEnv(), ...testSecrets };
  const compose = loadCompose(env);

  it("validates against the Compose Specification schema", () => {
    expect(composeErrors(compose)).toEqual([]);
  });

  it("refuses to start without the passwords and the relay secret", () => {
    for (const secret of Object.keys(testSecrets)) {
      expect(() => interpolate(text, { ...env, [secret]: "" }), secret).toThrow(secret);
    }
  });

  it("runs migrate once before mcp and admin, mcp scalable, nginx in front", () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(["admin", "mcp", "migrate", "nginx", "postgres", "redis"]);
    for (const name of ["mcp", "admin"]) {
      expect(services[name]?.depends_on?.migrate?.condition, name).toBe("service_completed_successfully");
      expect(services[name]?.environment).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0" });
      expect(services[name]?.environment?.DATABASE_URL).toMatch(/^postgres:\/\//);
      expect(services[name]?.environment?.REDIS_URL).toMatch(/^redis:\/\//);
    }
    expect(services.migrate?.depends_on?.postgres?.condition).toBe("service_healthy");
    expect(services.mcp?.container_name, "a fixed name stops --scale").toBeUndefined();
    expect(services.mcp?.ports, "a fixed host port stops --scale").toBeUndefined();
    expect(services.postgres?.volumes).toContain("./init-db.sql:/docker-entrypoint-initdb.d/init-db.sql:ro");
    expect(services.nginx?.volumes).toContain("./nginx.conf:/etc/nginx/nginx.conf:ro");
    for (const volume of [...(services.nginx?.volumes ?? []), ...(services.postgres?.volumes ?? [])]) {
      const source = volume.split(":")[0] ?? "";
      if (source.startsWith(".")) expect(existsSync(join(deployDir, source)), source).toBe(true);
    }
  });
});

describe("shell scripts", () => {
  const scripts = readdirSync(deployDir).filter((name) => name.endsWith(".sh"));
  const shellcheck = needsBinary("shellcheck", "apt-get install shellcheck");

  it.skipIf(shellcheck.skip)("pass shellcheck", () => {
    expect(shellcheck.available, "shellcheck is not installed (apt-get install shellcheck)").toBe(true);
    expect(scripts).toEqual(expect.arrayContaining(["start.sh", "start-prod.sh"]));
    const result = spawnSync("shellcheck", ["--format=gcc", ...scripts], {
      cwd: deployDir,
      encoding: "utf8",
    });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("start-prod.sh", () => {
  // Stand-ins that record their arguments, so the script's choices show without running anything.
  const bin = mkdtempSync(join(tmpdir(), "start-prod-"));
  const calls = join(bin, "calls");
  for (const name of ["node", "supervisord"]) {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${calls}"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  function run(args: string[], env: Record<string, string> = {}) {
    rmSync(calls, { force: true });
    const result = spawnSync("bash", [join(deployDir, "start-prod.sh"), ...args], {
      encoding: "utf8",
      env: { PATH: `${bin}:${process.env.PATH}`, ...env },
    });
    const ran = existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [];
    return {
      status: result.status,
      stderr: result.stderr,
      ran: ran.map((line) => line.replace(rootDir, "")),
    };
  }

  it("migrates, then runs the launcher with the flags given", () => {
    expect(run(["--transport", "sse", "--admin"]).ran).toEqual([
      "node /services/launcher/dist/migrate.js",
      "node /services/launcher/dist/main.js --transport sse --admin",
    ]);
  });

  it("runs one service alone, skipping the migration when told", () => {
    expect(run(["--transport", "sse"], { SERVICE: "mcp", MIGRATE_ON_START: "false" }).ran).toEqual([
      "node /services/mcp-sse/dist/main.js",
    ]);
    expect(run([], { SERVICE: "admin", MIGRATE_ON_START: "false" }).ran).toEqual([
      "node /services/admin/dist/main.js",
    ]);
  });

  it("`migrate` only migrates", () => {
    expect(run(["migrate"])).toMatchObject({ status: 0, ran: ["node /services/launcher/dist/migrate.js"] });
  });

  it("runs supervisord with PostgreSQL and Redis, and refuses without them", () => {
    const shared = { PROCESS_MANAGER: "supervisord", MIGRATE_ON_START: "false" };
    expect(run([], { ...shared, DATABASE_URL: "postgres://db/x", REDIS_URL: "redis://r" }).ran).toEqual([
      "supervisord --nodaemon --configuration /deploy/supervisord.conf",
    ]);
    const refused = run([], shared);
    expect(refused).toMatchObject({ status: 2, ran: [] });
    expect(refused.stderr).toContain("needs DATABASE_URL and REDIS_URL");
  });

  it("names a bad SERVICE and runs nothing", () => {
    const result = run([], { SERVICE: "web" });
    expect(result).toMatchObject({ status: 2, ran: [] });
    expect(result.stderr).toContain('SERVICE must be all, mcp or admin (got "web")');
  });
});

describe("start.sh", () => {
  it.each([[[]], [["staging"]], [["prod", "--force"]]])("prints its usage for %j", (args) => {
    const result = spawnSync("bash", [join(deployDir, "start.sh"), ...args], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Usage:");
  });
});
