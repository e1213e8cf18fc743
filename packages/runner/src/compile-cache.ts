import nodeModule from "node:module";

// Imported first by every service's entry, which loads the rest only after it: from Node 22.1 on,
// V8's compiled code for the bundle is kept on disk (in the OS's temporary folder), and later
// starts skip compiling it, some 20 ms of a stdio server's first answer. Node 20 has no such cache;
// where the folder cannot be written, Node goes on without it.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
