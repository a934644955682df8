import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocumentStore, EventStore } from '../../src/application/ports/index.js';
import { createSqliteEventStore } from '../../src/infrastructure/eventStore/index.js';
import { rebuildTests } from './projections/rebuilds.js';
import { replayTests } from './projections/replays.js';

export type OpenDocuments = () => Promise<{ documents: DocumentStore; cleanup(): Promise<void> }>;
export type ProjectionWorld = { eventStore: EventStore; documents: DocumentStore };
export type WorldRef = () => ProjectionWorld;

/**
 * Projections, their runner and rebuilds, over every document store adapter: replays and
 * duplicates change nothing (hash of every read model), and rebuilds end equal to a fresh fold.
 * Each test uses its own event log, so fresh folds see only that test's events.
 */
export function projectionsContract(adapterName: string, open: OpenDocuments) {
  describe(`projections contract: ${adapterName}`, function () {
    this.timeout(120_000);
    let world: ProjectionWorld | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    let dir = '';

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'projections-'));
      const opened = await open();
      world = {
        eventStore: createSqliteEventStore({
          path: join(dir, 'events.db'),
          synchronous: 'NORMAL',
          pollIntervalMs: 20,
        }),
        documents: opened.documents,
      };
      cleanup = opened.cleanup;
    });

    afterEach(async () => {
      await world?.eventStore.close();
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    const ref: WorldRef = () => {
      if (!world) throw new Error('the world did not open');
      return world;
    };
    replayTests(ref);
    rebuildTests(ref);
  });
}
