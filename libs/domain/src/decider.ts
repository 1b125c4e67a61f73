/** Emmett-style message shapes: a discriminating `type` and a plain JSON `data`. */
export interface Command<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export interface Event<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** One aggregate's behaviour as three pure values; see DESIGN §3. */
export interface Decider<C extends Command, E extends Event, S> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

/** Folds a stream's events into the aggregate's current state. */
export function fold<E extends Event, S>(
  decider: Pick<Decider<Command, E, S>, 'evolve' | 'initialState'>,
  events: E[],
): S {
  return events.reduce(decider.evolve, decider.initialState());
}
