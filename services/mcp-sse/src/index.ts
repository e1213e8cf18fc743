export { createMcpHttpApp, type McpHttpAppOptions } from "./app.js";
export { createSessionRegistry, type SessionRegistry, type SessionRegistryOptions } from "./sessions.js";
export { type McpHttpService, type StartOptions, start } from "./start.js";
