/** The OpenAPI text of every `as_of` parameter. */
export const AS_OF =
  "RFC 3339 instant: the state then, folded from the event log with the domain's own evolve " +
  '(events recorded at or before it), in the same shape (not in the original). 404 when it did ' +
  'not exist yet.';
