import type { Config } from "../config/config.js";
import type { Logger } from "../log/log.js";
import type { Bus } from "./bus.js";
import { createMemoryBus } from "./memory.js";
import { createRedisBus } from "./redis.js";

/** Redis when `REDIS_URL` is set, the in-process bus otherwise. */
export function createBus(config: Pick<Config, "REDIS_URL" | "REDIS_PREFIX">, log: Logger): Promise<Bus> {
  if (!config.REDIS_URL) return Promise.resolve(createMemoryBus());
  return createRedisBus({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, log });
}
