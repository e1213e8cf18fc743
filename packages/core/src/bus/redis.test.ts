import { describe, expect, it } from "vitest";
import { createLogger } from "../log/log.js";
import { realServiceUrl, uniquePrefix } from "../testing/services.js";
import { canStartThrowaway, startThrowawayRedis } from "../testing/throwaway.js";
import { busContract } from "./bus.contract.js";
import { createRedisBus } from "./redis.js";

const url = realServiceUrl("REDIS_URL");
const log = createLogger({ level: "silent" });

describe.skipIf(!url)("redis bus", () => {
  busContract(() => createRedisBus({ url: url ?? "", prefix: uniquePrefix(), log }));

  it("keeps one deployment's keys and channels apart from another's", async () => {
    const a = await createRedisBus({ url: url ?? "", prefix: uniquePrefix(), log });
    const b = await createRedisBus({ url: url ?? "", prefix: uniquePrefix(), log });
    const heard: string[] = [];
    await b.subscribe("c", (m) => heard.push(m));
    await a.set("k", "a");
    await a.publish("c", "from a");
    expect(await b.get("k")).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe("redis bus when Redis is unreachable", () => {
  it("fails fast at start-up with a message naming the server", async () => {
    const started = Date.now();
    await expect(createRedisBus({ url: "redis://127.0.0.1:1", log, connectTimeoutMs: 500 })).rejects.toThrow(
      /Redis at redis:\/\/127\.0\.0\.1:1 is unreachable/,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe.skipIf(!canStartThrowaway("redis"))("redis bus through an outage", () => {
  it("fails fast while Redis is down and recovers without a restart", async () => {
    const server = await startThrowawayRedis();
    const bus = await createRedisBus({ url: server.url, log, connectTimeoutMs: 500 });
    let restored = 0;
    bus.onRestored(() => {
      restored += 1;
    });
    try {
      await bus.set("k", "before");
      await server.stop();
      const started = Date.now();
      await expect(bus.get("k")).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1_000);
      await server.start();
      await expect
        .poll(
          () =>
            bus.ping().then(
              () => true,
              () => false,
            ),
          { timeout: 10_000 },
        )
        .toBe(true);
      expect(restored).toBe(1);
      await bus.set("k", "after");
      expect(await bus.get("k")).toBe("after");
    } finally {
      await bus.close();
      await server.destroy();
    }
  });
});
