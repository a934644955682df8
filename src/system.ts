import type { Config } from './config.js';
import { createContainer, TOKENS } from './container.js';
import type { AppContainer } from './container.js';
import type { Clock, Logger } from './application/ports/index.js';
import { systemClock } from './application/ports/index.js';
import type { RunningRole } from './roles/running.js';
import { PROCESS_ROLES } from './subscriptions.js';
import type { ProcessRole } from './subscriptions.js';

export type RunningSystem = {
  container: AppContainer;
  /** Base URL of the API, when the api role runs. */
  url?: string;
  /** Resolves once every projection has caught up with the log (projector role). */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
};

/** The api starts last, so that a projector in the same process already keeps the order cache it reads. */
const START_ORDER: readonly ProcessRole[] = [
  'projector',
  'forwarder',
  'processor',
  'notifier',
  'api',
];

/** The composition root's other half: starts the chosen roles over one container, stops them in reverse. */
export const startSystem = async (
  config: Config,
  logger: Logger,
  roles: readonly ProcessRole[] = PROCESS_ROLES,
  clock: Clock = systemClock,
): Promise<RunningSystem> => {
  const container = createContainer(config, logger, clock, roles);
  const running: RunningRole[] = [];
  const stop = async () => {
    for (const role of running.reverse())
      await role.stop().catch((error) => logger.warn({ err: error }, 'stopping a role failed'));
    await container.close();
  };
  try {
    for (const role of START_ORDER.filter((name) => roles.includes(name))) {
      const start = await container.get(TOKENS.roles[role]);
      running.push(await start());
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const url = running.find((role) => role.url)?.url;
  return {
    container,
    ...(url ? { url } : {}),
    caughtUp: async () => void (await Promise.all(running.map((role) => role.caughtUp?.()))),
    stop,
  };
};
