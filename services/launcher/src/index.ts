export { type LauncherArgs, parseLauncherArgs, type Transport, usage } from "./args.js";
export { launch } from "./launch.js";
