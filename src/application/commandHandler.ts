import { randomUUID } from 'node:crypto';
import { ConcurrencyError, PreconditionFailed, fold } from '../domain/shared/index.js';
import type { Command, Decider, Event } from '../domain/shared/index.js';
import { createKeyedLock } from './keyedLock.js';
import { toMetadata } from './messageContext.js';
import type { MessageContext } from './messageContext.js';
import type { EventStore, RecordedEvent } from './ports/index.js';
import { createStreamFolder } from './streamFolder.js';

/** A recorded event as the decider sees it: type and data, no envelope. */
const toDomain = <Evt extends Event>(event: RecordedEvent): Evt =>
  ({ type: event.type, data: event.data }) as Evt;

/** Revision of a stream that does not exist yet. */
export const NO_STREAM = -1;

export type HandleOptions<Evt> = {
  /** The client's If-Match: the command is refused with 412 unless the stream is at this revision. */
  ifMatch?: number;
  /** Deterministic ids make a repeated command (a redelivered message) append nothing new. */
  eventId?: (event: Evt, index: number) => string;
  /**
   * The caller has just made the stream's id (a random UUID): the command is decided on the
   * initial state without reading the stream. Should it exist after all, the append fails and the
   * command is decided again on what the log holds.
   */
  newStream?: boolean;
};

export type HandleResult<State, Evt> = {
  state: State;
  revision: number;
  events: Evt[];
  /** Global position of the last appended event; undefined when the command changed nothing. */
  position: number | undefined;
  /** When the appended events were recorded (AppendResult.recordedAt); undefined when nothing was appended. */
  recordedAt?: Date;
};

export type Aggregate<State> = { state: State; revision: number };

export type CommandHandler<State, Cmd extends Command, Evt extends Event> = {
  handle(
    streamId: string,
    command: Cmd,
    context: MessageContext,
    options?: HandleOptions<Evt>,
  ): Promise<HandleResult<State, Evt>>;
  /**
   * The aggregate as the log holds it, at least as new as when it was asked for. `coalesce`: loads
   * of one stream asked for in the same turn of the event loop share one read, for a hot aggregate
   * read on every request; each waits a turn for it, which a loop that awaits loads one after
   * another (a consumer) would pay on every step.
   */
  load(streamId: string, options?: { coalesce?: boolean }): Promise<Aggregate<State>>;
};

/**
 * load → decide → append with the expected revision; on a lost race, re-read, re-decide and retry,
 * a bounded number of times. Events arrive already upcast: the event store is wrapped by
 * `withUpcasting` in the container.
 */
export const createCommandHandler = <State, Cmd extends Command, Evt extends Event>({
  eventStore,
  decider,
  maxAttempts = 5,
  cacheSize = 10_000,
}: {
  eventStore: EventStore;
  decider: Decider<State, Cmd, Evt>;
  maxAttempts?: number;
  cacheSize?: number;
}): CommandHandler<State, Cmd, Evt> => {
  const folder = createStreamFolder<State>({
    eventStore,
    evolve: (state, event) => decider.evolve(state, toDomain<Evt>(event)),
    initialState: decider.initialState,
    maxStreams: cacheSize,
  });
  const serialised = createKeyedLock();
  const { catchUp, initial } = folder;
  const readNow = folder.load;

  /**
   * A coalesced load joins the read of its stream that the loads asked for in this turn share,
   * taken once all of them have asked, so each still sees the log as it was when it asked or
   * newer; a load asked after that read was taken waits for the next.
   */
  const loading = new Map<string, Promise<Aggregate<State>>>();
  const load: CommandHandler<State, Cmd, Evt>['load'] = (streamId, { coalesce = false } = {}) => {
    if (!coalesce) return readNow(streamId);
    const shared = loading.get(streamId);
    if (shared) return shared;
    const read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      loading.delete(streamId);
      return readNow(streamId);
    });
    loading.set(streamId, read);
    return read;
  };

  /**
   * A cached aggregate is decided on without reading the stream: if another process appended
   * meanwhile, the append's expected revision is stale and fails, and the command is decided
   * again on a fresh read. A decision on cached state that appends nothing or refuses the
   * command has no append to validate it, so it is confirmed by a read before it is returned.
   * An If-Match compares the client's revision with the stream's, so it always reads.
   */
  const handleUnlocked: CommandHandler<State, Cmd, Evt>['handle'] = async (
    streamId,
    command,
    context,
    options = {},
  ) => {
    const cached =
      options.ifMatch === undefined
        ? (folder.remembered(streamId) ?? (options.newStream ? initial() : undefined))
        : undefined;
    let current = cached ?? (await readNow(streamId));
    let confirmed = cached === undefined;
    const confirm = async (): Promise<boolean> => {
      const fresh = await catchUp(streamId, current);
      confirmed = true;
      const changed = fresh !== current;
      current = fresh;
      return changed;
    };
    for (let attempt = 1; ; attempt += 1) {
      const { state, revision } = current;
      if (options.ifMatch !== undefined && options.ifMatch !== revision) {
        throw new PreconditionFailed(
          `${streamId} is at revision ${revision}, not ${options.ifMatch}`,
        );
      }
      let events: Evt[];
      try {
        events = decider.decide(command, state);
      } catch (error) {
        if (!confirmed && (await confirm())) continue;
        throw error;
      }
      if (events.length === 0) {
        if (!confirmed && (await confirm())) continue;
        return { state, revision, events, position: undefined };
      }
      const toAppend = events.map((event, index) => ({
        id: options.eventId?.(event, index) ?? randomUUID(),
        type: event.type,
        data: event.data,
        metadata: toMetadata(context, event.type),
      }));
      try {
        const result = await eventStore.append(
          streamId,
          toAppend,
          revision === NO_STREAM ? 'no_stream' : revision,
        );
        const next = { state: fold(decider, events, state), revision: result.nextRevision };
        folder.remember(streamId, next);
        const { position, recordedAt } = result;
        return { ...next, events, position, ...(recordedAt ? { recordedAt } : {}) };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (options.ifMatch !== undefined) {
          throw new PreconditionFailed(`${streamId} changed while the command was handled`);
        }
        if (attempt >= maxAttempts) throw error;
        await confirm();
      }
    }
  };

  const handle: CommandHandler<State, Cmd, Evt>['handle'] = (streamId, command, context, options) =>
    serialised(streamId, () => handleUnlocked(streamId, command, context, options));

  return { handle, load };
};
