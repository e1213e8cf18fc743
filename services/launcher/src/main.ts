import "@mcp-tools/runner/compile-cache";

// The service itself loads once the compile cache is on (see compile-cache.ts).
await import("./serve.js");
