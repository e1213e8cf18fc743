/** The open `subscriptions/listen` streams of this process, which shutdown ends gracefully. */
export interface ListenStreams {
  /** Records a stream by the function that ends it; returns the function that forgets it. */
  add(end: () => void): () => void;
  /** Ends every stream: each sends its closing response, then closes. */
  closeAll(): void;
  readonly size: number;
}

export function createListenStreams(): ListenStreams {
  const open = new Set<() => void>();
  return {
    add(end) {
      open.add(end);
      return () => open.delete(end);
    },
    closeAll() {
      for (const end of [...open]) end();
    },
    get size() {
      return open.size;
    },
  };
}
