import type { AppendResult } from '../../application/ports/eventStore.js';
import type { AppendOutcome, AppendRequest } from './append.js';

/** Enough to amortise the fsync, small enough that no append waits behind a long batch. */
const MAX_GROUP = 256;

type Pending = AppendRequest & { resolve: (result: AppendResult) => void; reject: (error: unknown) => void };

/**
 * Collects the appends requested during one turn of the event loop and commits them together.
 * With synchronous=FULL each commit is an fsync that blocks the event loop, so under concurrent
 * load this is the difference between one fsync per append and one per turn.
 */
export const createGroupCommitter = (
  appendGroup: (batch: readonly AppendRequest[]) => Array<{ outcome: AppendOutcome } | { error: unknown }>,
  onWritten: () => void,
) => {
  const pending: Pending[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = pending.splice(0, MAX_GROUP);
    if (pending.length > 0) schedule();
    let results: ReturnType<typeof appendGroup>;
    try {
      results = appendGroup(batch);
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

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  return (request: AppendRequest) =>
    new Promise<AppendResult>((resolve, reject) => {
      pending.push({ ...request, resolve, reject });
      schedule();
    });
};
