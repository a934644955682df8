/**
 * Runs tasks with the same key one after another, tasks with different keys side by side.
 * Commands on one stream in one process then never race each other for the same revision;
 * optimistic concurrency still guards against other processes.
 */
export const createKeyedLock = () => {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
};
