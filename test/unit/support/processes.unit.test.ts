import { expect } from 'chai';
import { isAlive, signal, stopPid } from '../../support/processes.js';

// kill(0, …) signals the caller's whole process group: the test runner and the CI script above it.
describe('test process helpers', () => {
  it('given pid 0 or a negative pid, when stopping or signalling it, then they refuse instead of signalling a group', async () => {
    for (const pid of [0, -1, Number.NaN]) {
      expect(isAlive(pid)).to.equal(false);
      expect(() => signal(pid, 'SIGCONT')).to.throw(/refusing to signal/);
      await stopPid(pid).then(
        () => expect.fail(`stopPid(${pid}) resolved`),
        (error: Error) => expect(error.message).to.match(/refusing to signal/),
      );
    }
  });
});
