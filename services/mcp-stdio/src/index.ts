export { type StdioOptions, type StdioService, start } from "./start.js";
