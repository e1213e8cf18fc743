import { parseLauncherArgs, usage } from "./args.js";
import { launch } from "./launch.js";

const args = (() => {
  try {
    return parseLauncherArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    process.exit(2);
  }
})();
if (args === "help") process.stdout.write(`${usage}\n`);
else await launch(args);
