import type { AnyTool } from "./define.js";
import { echo } from "./echo.js";
import { noteDelete } from "./notes/delete.js";
import { noteGet } from "./notes/get.js";
import { noteList } from "./notes/list.js";
import { noteSave } from "./notes/save.js";
import { noteSearch } from "./notes/search.js";

/** The tools every server offers, in the order clients see them. */
export const builtinTools: readonly AnyTool[] = [echo, noteSave, noteSearch, noteGet, noteList, noteDelete];
