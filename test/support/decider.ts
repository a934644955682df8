import { expect } from 'chai';
import { fold } from '../../src/domain/shared/index.js';
import type { Command, Decider, Event } from '../../src/domain/shared/index.js';

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/**
 * Given/when/then over a decider: `given(decider, history).when(command).then(expectedEvents)`.
 * The history is folded from `initialState()`, so a test states facts as events, never as state.
 */
export const given = <State, Cmd extends Command, Evt extends Event>(
  decider: Decider<State, Cmd, Evt>,
  events: readonly Evt[] = [],
) => ({
  when: (command: Cmd) => {
    const decide = () => decider.decide(command, fold(decider, events));
    return {
      /** The command is accepted and produces exactly these events (none for a no-op). */
      then: (expected: readonly Evt[]): Evt[] => {
        const actual = decide();
        expect(actual).to.deep.equal(expected);
        return actual;
      },
      /** The command is refused with this error; the error is returned for further checks. */
      thenThrows: <E extends Error>(errorClass: ErrorClass<E>, message?: RegExp): E => {
        let produced: Evt[];
        try {
          produced = decide();
        } catch (thrown) {
          expect(thrown).to.be.instanceOf(errorClass);
          if (message) expect((thrown as Error).message).to.match(message);
          return thrown as E;
        }
        return expect.fail(
          `expected ${errorClass.name}, but the command produced ${JSON.stringify(produced)}`,
        );
      },
    };
  },
});
