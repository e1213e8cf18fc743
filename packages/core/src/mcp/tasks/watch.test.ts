import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryBus } from "../../bus/memory.js";
import { TASK_CANCELLED_CHANNEL, TASK_CHANGED_CHANNEL } from "./channels.js";
import { type TaskWatch, watchTask } from "./watch.js";

const log = { debug: () => {} };
const bus = createMemoryBus();
let watch: TaskWatch | undefined;
afterEach(async () => {
  await watch?.stop();
});

/** How long `changed` took to resolve, in ms. */
async function timed(watch: TaskWatch, signal = new AbortController().signal) {
  const started = performance.now();
  await watch.changed(signal);
  return performance.now() - started;
}

describe("watching a task", () => {
  it("wakes as soon as the bus says the task changed or was cancelled, and not for another task", async () => {
    watch = await watchTask("t1", { bus, log, recheckMs: 5_000 });
    const waiting = watch.changed(new AbortController().signal);
    await bus.publish(TASK_CHANGED_CHANNEL, "other");
    const first = await Promise.race([waiting.then(() => "woken"), sleep(100).then(() => "waiting")]);
    expect(first).toBe("waiting");
    await bus.publish(TASK_CHANGED_CHANNEL, "t1");
    await waiting;
    setTimeout(() => void bus.publish(TASK_CANCELLED_CHANNEL, "t1"), 10);
    expect(await timed(watch)).toBeLessThan(1_000);
  });

  it("remembers a change told between two waits, and looks again after recheckMs when told nothing", async () => {
    watch = await watchTask("t2", { bus, log, recheckMs: 200 });
    await bus.publish(TASK_CHANGED_CHANNEL, "t2");
    expect(await timed(watch)).toBeLessThan(50);
    expect(await timed(watch)).toBeGreaterThanOrEqual(190);
  });

  it("stops waiting with the signal's reason", async () => {
    watch = await watchTask("t3", { bus, log, recheckMs: 5_000 });
    const controller = new AbortController();
    const waiting = watch.changed(controller.signal);
    controller.abort(new Error("client went away"));
    await expect(waiting).rejects.toThrow("client went away");
  });
});
