import { ServerUsageError } from './usage-error';

/** The command's positional arguments by name; a missing one is click's usage error. */
export function positionalArguments<N extends string>(
  words: string[],
  names: readonly N[],
): Record<N, string> {
  const missing = names[words.length];
  if (missing !== undefined) throw new ServerUsageError(`Missing argument '${missing}'.`);
  return Object.fromEntries(names.map((n, i) => [n, words[i]])) as Record<N, string>;
}
