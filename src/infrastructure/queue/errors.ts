/**
 * The queue refused some messages of a send even after retries. Others of the same call may have
 * been accepted, so the caller resends the whole call: deduplication ids make that safe.
 */
export class QueueSendFailed extends Error {
  constructor(
    message: string,
    readonly failures: readonly { id: string; code: string; message?: string }[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The queue named in the configuration cannot be created or found. */
export class QueueSetupFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
