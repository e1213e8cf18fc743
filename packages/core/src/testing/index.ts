export { createTestContext, testConfig } from "./context.js";
export { createTestDatabase, realServiceUrl, type TestDatabase, uniquePrefix } from "./services.js";
export { freePort, startThrowawayPostgres, startThrowawayRedis, type ThrowawayServer } from "./throwaway.js";
