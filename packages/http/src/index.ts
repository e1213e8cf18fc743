export { healthRoutes } from "./health.js";
export { type HostGuardOptions, hostGuard } from "./host-guard.js";
export { loopbackHosts, loopbackOrigins, type PortSource } from "./loopback.js";
export { metricsRoutes } from "./metrics.js";
export {
  defaultErrorBody,
  type ErrorBodyFormatter,
  type ErrorHandlerOptions,
  errorHandler,
  type HttpErrorInfo,
  notFoundHandler,
} from "./on-error.js";
export { type OriginGuardOptions, originGuard } from "./origin-guard.js";
export { type CloseOptions, type ServeAppOptions, type ServedApp, serveApp } from "./serve.js";
export { createServiceApp, type ServiceAppOptions } from "./service-app.js";
