import type { AppendResult } from '../../application/ports/eventStore.js';
import type { AppendRequest, GroupResult } from './append.js';

/** Enough to amortise the fsync, small enough that no append waits behind a long batch. */
const MAX_GROUP = 256;

type Pending = AppendRequest & {
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
};

/**
 * Collects appends and commits them in groups, one transaction (one fsync with
 * synchronous=FULL) per group: under concurrent load, the difference between an fsync per append
 * and one per group. A group is what was requested during one turn of the event loop, and while
 * a group is being committed (on the writer thread) the appends that arrive form the next one,
 * so groups grow with the load by themselves.
 */
export const createGroupCommitter = (
  appendGroup: (batch: readonly AppendRequest[]) => GroupResult[] | Promise<GroupResult[]>,
  onWritten: () => void,
) => {
  const pending: Pending[] = [];
  let scheduled = false;
  let committing: Promise<void> | undefined;

  const commit = async (batch: readonly Pending[]) => {
    let results: GroupResult[];
    try {
      results = await appendGroup(batch);
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
    let written = false;
    results.forEach((result, index) => {
      const request = batch[index]!;
      if ('error' in result) return request.reject(result.error);
      written ||= result.outcome.written;
      request.resolve(result.outcome.result);
    });
    if (written) onWritten();
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
    append: (request: AppendRequest) =>
      new Promise<AppendResult>((resolve, reject) => {
        pending.push({ ...request, resolve, reject });
        schedule();
      }),
    /** Resolves once every append requested so far has been committed or refused. */
    settled: async () => {
      while (committing || pending.length > 0) {
        await (committing ?? new Promise((resolve) => setImmediate(resolve)));
      }
    },
  };
};
