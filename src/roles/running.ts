/** What every started role, consumer and server gives back (STYLE.md: everything startable is stoppable). */
export type Running = {
  /** Stops it and waits until it has; closes none of its dependencies. */
  stop(): Promise<void>;
  /** Settles once it has stopped, for good or because it failed. */
  done: Promise<void>;
};

/** A started process role: the api gives its URL; the projector says when it has caught up. */
export type RunningRole = Running & { url?: string; caughtUp?: () => Promise<void> };

/** A promise settled from outside, for a `done` that follows a `stop`. */
export const settledOnStop = () => {
  let resolve!: () => void;
  const done = new Promise<void>((settle) => (resolve = settle));
  return { done, resolve };
};
