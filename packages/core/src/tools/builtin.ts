import type { AnyTool } from "./define.js";
import { echo } from "./echo.js";

/** The tools every server offers, in the order clients see them. */
export const builtinTools: readonly AnyTool[] = [echo];
