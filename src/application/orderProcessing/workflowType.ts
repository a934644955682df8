/**
 * A workflow (Emmett's shape): a decider over what it hears and what it asks. Its state is folded
 * from both, so a runner that replays what it heard reaches the same decisions.
 */
export type Workflow<Input, State, Output> = {
  decide: (input: Input, state: State) => Output[];
  evolve: (state: State, event: Input | Output) => State;
  initialState: () => State;
};
