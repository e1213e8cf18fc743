export { type AdminAction, recordAdminAction } from "./audit/admin.js";
export {
  type AdminActionRecord,
  DEFAULT_PAGE_SIZE,
  getToolCall,
  listAdminActions,
  listToolCalls,
  type Page,
  type PageRequest,
  type ToolCallFilter,
  type ToolCallRecord,
  type ToolCallStats,
  toolCallStats,
} from "./audit/queries.js";
export { type AuditEntry, type AuditQueue, createAuditQueue } from "./audit/queue.js";
export { sanitizeArguments } from "./audit/redact.js";
export {
  type AuditRetention,
  type AuditRetentionOptions,
  type PruneResult,
  pruneAudit,
  startAuditRetention,
} from "./audit/retention.js";
export type { Bus, BusHandler } from "./bus/bus.js";
export { createBus } from "./bus/create.js";
export { createMemoryBus, type MemoryBus, type MemoryBusOptions } from "./bus/memory.js";
export { type Config, ConfigError, loadConfig, type McpAuthMode } from "./config/config.js";
export { isLoopbackAddress, isLoopbackHost } from "./config/loopback.js";
export { type AppContext, type ContextOptions, createContext } from "./context.js";
export { createDatabase, type Database, type Db } from "./db/client.js";
export { migrate, pendingMigrations } from "./db/migrate.js";
export { adminAudit, adminSessions, apiKeys, auditLog, notes, toolSettings, users } from "./db/schema.js";
export { AppError, type ErrorCode, httpStatusOf } from "./errors.js";
export { checkDependencies, checkReadiness, type DependencyCheck, type Readiness } from "./health.js";
export { type CreateApiKeyInput, type CreatedApiKey, createApiKey } from "./keys/create.js";
export { listApiKeys } from "./keys/list.js";
export { setKeyPins } from "./keys/pins.js";
export { revokeApiKey } from "./keys/revoke.js";
export type { ApiKey } from "./keys/row.js";
export { allToolsScope, inScope, KeyScope, parseScope } from "./keys/scope.js";
export { createKeyVerifier, KEYS_CHANGED, type KeyVerifier } from "./keys/verifier.js";
export {
  createLastUsedThrottle,
  type KeyRefusal,
  type LastUsedThrottle,
  type VerifyResult,
  verifyApiKey,
} from "./keys/verify.js";
export { createLifecycle, type Lifecycle, type RunningService } from "./lifecycle.js";
export { describeError } from "./log/errors.js";
export { createLogger, type Logger } from "./log/log.js";
export { type CallMeta, callTool } from "./mcp/call-tool.js";
export { claimsModernEnvelope, requestIdOf } from "./mcp/modern/envelope.js";
export {
  anonymousPrincipal,
  keyPrincipal,
  localPrincipal,
  type Principal,
  type TransportName,
} from "./mcp/principal.js";
export { RATE_LIMITED_CODE } from "./mcp/rate-limit.js";
export { createMcpServer, type McpServerOptions } from "./mcp/server.js";
export { serverInfo } from "./mcp/server-info.js";
export { createMetrics, type Metrics } from "./metrics/metrics.js";
export {
  type BrowseNotesInput,
  browseNotes,
  getNote,
  type Note,
  type NoteListItem,
  type NotesPage,
  removeNote,
} from "./notes/manage.js";
export {
  createPresence,
  type LocalSession,
  type Presence,
  type PresenceOptions,
  type PresenceSource,
} from "./presence/presence.js";
export {
  getSession,
  listProcesses,
  listSessions,
  type SessionView,
  sessionTotals,
  terminateSession,
} from "./presence/read.js";
export { type PresenceRecord, type PresenceSession, publicSessionId } from "./presence/record.js";
export { PromptDefinition } from "./prompts/definition.js";
export {
  listPromptEntries,
  type PromptEntry,
  type PromptVersion,
  promptHistory,
  rollbackPrompt,
  savePrompt,
  setPromptEnabled,
} from "./prompts/manage.js";
export { type CallStats, callStats, type MinuteCalls } from "./status/calls.js";
export { type Dashboard, getDashboard } from "./status/dashboard.js";
export { cancelTask, listTasks, TASK_STATUSES, type TaskCancel, type TaskSummary } from "./tasks/admin.js";
export { insertTask, isTerminal } from "./tasks/store.js";
export { findMalformed, malformation, storable, wellFormedJson, wellFormedText } from "./text/well-formed.js";
export { builtinTools } from "./tools/builtin.js";
export { type AnyTool, defineTool, type ToolContext, type ToolDefinition } from "./tools/define.js";
export { createToolRegistry, type ToolRegistry } from "./tools/registry.js";
export { TOOLS_CHANGED_CHANNEL, type ToolSetting, type ToolSettingsCache } from "./tools/settings/cache.js";
export { listToolSettings, type ToolSettingsView } from "./tools/settings/list.js";
export { MAX_RATE_LIMIT_PER_MINUTE, ToolSettingsPatch, updateToolSettings } from "./tools/settings/update.js";
export { visibleTools } from "./tools/settings/visible.js";
export { type BootstrapOptions, type BootstrapResult, bootstrapAdmin } from "./users/bootstrap.js";
export {
  type ChangePasswordInput,
  type ChangePasswordOptions,
  changePassword,
} from "./users/change-password.js";
export { type CreateUserInput, createUser } from "./users/create.js";
export { getUser, listUsers } from "./users/list.js";
export {
  BUSY_LOGIN,
  INVALID_LOGIN,
  type LoginInput,
  type LoginOptions,
  type LoginResult,
  lockedLogin,
  login,
} from "./users/login.js";
export { hashPassword, verifyPassword } from "./users/password.js";
export {
  createPasswordGate,
  type PasswordCheck,
  type PasswordGate,
  type PasswordGateOptions,
} from "./users/password-gate.js";
export { MIN_PASSWORD_LENGTH, Password, Role, Username, type UserView } from "./users/roles.js";
export {
  type AdminSession,
  createSession,
  endSession,
  type NewSession,
  resolveSession,
  revokeUserSessions,
} from "./users/sessions.js";
export { completeSetup, INVALID_SETUP_LINK, isSetupTokenValid, type SetupClock } from "./users/setup.js";
export { type UpdateUserInput, updateUser } from "./users/update.js";
