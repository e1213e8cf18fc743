import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createBareEchoServer } from "./bare-echo.js";

// Entry of the baseline stdio server process.
await createBareEchoServer().connect(new StdioServerTransport());
