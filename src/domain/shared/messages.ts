/** A domain event: plain data, discriminated by a past-tense `type`. */
export type Event<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/** A command: plain data, discriminated by an imperative `type`. Time, ids and the actor travel in it. */
export type Command<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Readonly<Data>;
}>;

/**
 * A decider (Jérémie Chassaing's pattern): pure functions over an aggregate.
 * `decide` returns the events a command produces, or throws a DomainError when it is refused.
 */
export type Decider<State, Cmd extends Command, Evt extends Event> = {
  decide: (command: Cmd, state: State) => Evt[];
  evolve: (state: State, event: Evt) => State;
  initialState: () => State;
};

export const fold = <State, Evt extends Event>(
  decider: Pick<Decider<State, Command, Evt>, 'evolve' | 'initialState'>,
  events: Iterable<Evt>,
  from: State = decider.initialState(),
): State => {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
};
