import type { Outcome } from './wireErrors.js';

/** Enough to amortise the fsync, small enough that no request waits behind a long group. */
const MAX_GROUP = 256;

type Pending<Req, Res> = {
  request: Req;
  resolve: (result: Res) => void;
  reject: (error: unknown) => void;
};

/**
 * Collects write requests and commits them in groups, one transaction (one fsync with
 * synchronous=FULL) per group: under concurrent load, the difference between an fsync per request
 * and one per group. A group is what was requested during one turn of the event loop, and while
 * a group is being committed (on a writer thread) the requests that arrive form the next one,
 * so groups grow with the load by themselves. `commitGroup` answers each request of a group with
 * its outcome or its own error; `onCommitted` hears every group's outcomes once they are given out.
 */
export const createGroupCommitter = <Req, Res>(
  commitGroup: (batch: readonly Req[]) => Outcome<Res>[] | Promise<Outcome<Res>[]>,
  onCommitted: (outcomes: readonly Res[]) => void = () => {},
) => {
  const pending: Pending<Req, Res>[] = [];
  let scheduled = false;
  let committing: Promise<void> | undefined;

  const commit = async (batch: readonly Pending<Req, Res>[]) => {
    let results: Outcome<Res>[];
    try {
      results = await commitGroup(batch.map(({ request }) => request));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    const committed: Res[] = [];
    results.forEach((result, index) => {
      const entry = batch[index]!;
      if ('error' in result) return entry.reject(result.error);
      committed.push(result.outcome);
      entry.resolve(result.outcome);
    });
    onCommitted(committed);
  };

  const flush = () => {
    scheduled = false;
    if (committing) return; // the group in flight schedules the next when it is done
    const batch = pending.splice(0, MAX_GROUP);
    committing = commit(batch).finally(() => {
      committing = undefined;
      if (pending.length > 0) schedule();
    });
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  return {
    submit: (request: Req) =>
      new Promise<Res>((resolve, reject) => {
        pending.push({ request, resolve, reject });
        schedule();
      }),
    /** Resolves once every request submitted so far has been committed or refused. */
    settled: async () => {
      while (committing || pending.length > 0) {
        await (committing ?? new Promise((resolve) => setImmediate(resolve)));
      }
    },
  };
};
