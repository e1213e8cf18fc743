export { type Composition, runService } from "./run.js";
