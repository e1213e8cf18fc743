import type { Config } from "../config/config.js";
import type { Logger } from "../log/log.js";
import type { Bus } from "./bus.js";
import { createMemoryBus } from "./memory.js";

/** Redis when `REDIS_URL` is set, the in-process bus otherwise. */
export async function createBus(
  config: Pick<Config, "REDIS_URL" | "REDIS_PREFIX">,
  log: Logger,
): Promise<Bus> {
  if (!config.REDIS_URL) return createMemoryBus();
  // Loaded only when configured: ioredis is a tenth of the bundle and of a local server's start-up.
  const { createRedisBus } = await import("./redis.js");
  return createRedisBus({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, log });
}
