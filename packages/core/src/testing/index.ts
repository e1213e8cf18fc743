export { createAskTool } from "./ask-tool.js";
export { createTestContext, testConfig } from "./context.js";
export { type CapturedLog, captureLog } from "./log-capture.js";
export { acceptsConnections, freePort } from "./ports.js";
export { countTool } from "./progress-tool.js";
export { installAuditRefusal } from "./refuse-audit.js";
export { createTestDatabase, realServiceUrl, type TestDatabase, uniquePrefix } from "./services.js";
export {
  canStartThrowaway,
  startThrowawayPostgres,
  startThrowawayRedis,
  type ThrowawayServer,
} from "./throwaway.js";
