// `@mcp-tools/core/catalog`: what people manage of the tool catalog (HTTP tools, their versions,
// secrets, OpenAPI import), apart from the main entry because it loads Ajv, undici and an OpenAPI
// parser, which a process serving tools needs only once an HTTP tool is approved.
export { createEgressAgent } from "../../egress/agent.js";
export { createEgressPolicy } from "../../egress/policy.js";
export { egressRequest } from "../../egress/request.js";
export {
  deleteSecret,
  listSecrets,
  type SecretInfo,
  SecretName,
  SecretValue,
  setSecret,
} from "../../secrets/store.js";
export { checkHttpTool, HttpToolDefinition } from "../http/definition.js";
export { MAX_DOCUMENT_BYTES, readOpenApi } from "../http/openapi/document.js";
export {
  type DocumentSource,
  importOpenApiOperations,
  openApiText,
  type PreviewedOperation,
  previewOpenApiImport,
} from "../http/openapi/import.js";
export { type ImportedOperation, operationsOf } from "../http/openapi/operations.js";
export { type PortabilityIssue, portabilityIssues } from "../schema/portability.js";
export { proposeHttpTool } from "./propose.js";
export { decideToolVersion, listToolVersions, type ToolVersion } from "./versions.js";
