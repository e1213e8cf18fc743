export { createTestContext, testConfig } from "./context.js";
export { createTestDatabase, realServiceUrl, type TestDatabase, uniquePrefix } from "./services.js";
