import { describe } from "vitest";
import { busContract } from "./bus.contract.js";
import { createMemoryBus } from "./memory.js";

describe("in-process bus", () => {
  busContract(async () => createMemoryBus());
});
