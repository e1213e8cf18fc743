import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { parseAllDocuments } from "yaml";
import { deployDir } from "./paths.js";

export const k8sDir = join(deployDir, "k8s");

/** One YAML document of deploy/k8s and the file it came from. */
export interface Manifest {
  file: string;
  doc: unknown;
}

interface Model {
  validate(): void;
}

// Every kind deploy/k8s may hold. A kind missing here fails the test: add its model on purpose.
const models: Record<string, new (data: never) => Model> = {
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "batch/v1/Job": Job,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
};

/** The manifest files of deploy/k8s, kustomization.yaml aside. */
export function manifestFiles(): string[] {
  return readdirSync(k8sDir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== "kustomization.yaml")
    .sort();
}

/** Every document of every manifest file. */
export function loadManifests(): Manifest[] {
  return manifestFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(join(k8sDir, file), "utf8")).map((document) => {
      if (document.errors.length > 0) {
        throw new Error(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
      }
      return { file, doc: document.toJS() as unknown };
    }),
  );
}

/**
 * Validates one manifest against the Kubernetes schema of its kind (types, enums, required fields);
 * throws naming what is wrong. The models do not reject unknown fields: a misspelt optional key
 * passes here, which is why the tests also read the fields that matter through the typed models.
 */
export function validateManifest({ file, doc }: Manifest): void {
  const { apiVersion, kind } = (doc ?? {}) as { apiVersion?: unknown; kind?: unknown };
  const Model = models[`${apiVersion}/${kind}`];
  if (!Model) throw new Error(`${file}: unknown apiVersion/kind ${apiVersion}/${kind}`);
  try {
    new Model(doc as never).validate();
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** The documents of one kind, typed by its model's guard. */
export function ofKind<T>(manifests: Manifest[], is: (value: unknown) => value is T): T[] {
  return manifests.map((m) => m.doc).filter(is);
}
