// `@mcp-tools/core/modern`: MCP 2026-07-28, apart from the package's main entry because it loads
// SDK v2. A stdio server loads it on its first modern message, and one spoken to in the 2025 eras
// never does (claimsModernEnvelope, in the main entry, tells the eras apart without it).
export {
  asksForNotifications,
  createModernDispatcher,
  type ModernDispatcher,
  type ModernNotification,
  type ModernRequest,
} from "./dispatch.js";
export { openSubscription, type Subscription } from "./listen.js";
export { type Route, routeMessage } from "./route.js";
export {
  errorResponse,
  MODERN_RATE_LIMITED_CODE,
  MODERN_VERSION,
  ModernCode,
  type ModernResponse,
} from "./wire.js";
