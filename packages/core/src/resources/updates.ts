import type { Bus } from "../bus/bus.js";
import type { Logger } from "../log/log.js";

const RESOURCES_UPDATED_CHANNEL = "resources.updated";

/** Changes to resources, told to every process over the bus, for the clients subscribed to them. */
export interface ResourceUpdates {
  /** Tells every process's subscribers that the resource at `uri` changed (or is gone). */
  publish(uri: string): void;
  /** Calls `listener` whenever `uri` changes, in any process; returns the function that stops it. */
  watch(uri: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** Subscribes to the bus at once, as the other caches do: a watch never waits for it. */
export async function createResourceUpdates(bus: Bus, log: Logger): Promise<ResourceUpdates> {
  const watchers = new Map<string, Set<() => void>>();
  const unsubscribe = await bus.subscribe(RESOURCES_UPDATED_CHANNEL, (uri) => {
    for (const listener of [...(watchers.get(uri) ?? [])]) listener();
  });
  return {
    publish(uri) {
      bus.publish(RESOURCES_UPDATED_CHANNEL, uri).catch((error: unknown) => {
        log.warn({ err: error, uri }, "could not tell the other processes a resource changed");
      });
    },
    watch(uri, listener) {
      let listeners = watchers.get(uri);
      if (!listeners) {
        listeners = new Set();
        watchers.set(uri, listeners);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) watchers.delete(uri);
      };
    },
    close: unsubscribe,
  };
}
