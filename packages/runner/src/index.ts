export { type Composition, type RunOptions, runService } from "./run.js";
