import { stopServices } from './services.js';

/** Loaded by .mocharc.json: servers started for tests stop when the run ends, not at process death. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopServices();
  },
};
