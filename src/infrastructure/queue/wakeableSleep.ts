/**
 * Sleeps that can be cut short: a local send wakes long polls at once instead of at the next
 * tick, and close() releases every pending poll so nothing keeps the process alive.
 */
export const createWakeableSleep = () => {
  const pending = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pending.add(done);
    });
  const wakeAll = () => {
    for (const done of [...pending]) done();
  };
  return { sleep, wakeAll };
};
