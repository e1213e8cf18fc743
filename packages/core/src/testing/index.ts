export { createTestContext, testConfig } from "./context.js";
export { createTestDatabase, realServiceUrl, type TestDatabase, uniquePrefix } from "./services.js";
export {
  canStartThrowaway,
  freePort,
  startThrowawayPostgres,
  startThrowawayRedis,
  type ThrowawayServer,
} from "./throwaway.js";
