export { type AdminAppOptions, createAdminApp } from "./app.js";
export { type AdminService, type AdminStartOptions, start } from "./start.js";
