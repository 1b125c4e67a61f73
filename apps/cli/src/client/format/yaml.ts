import * as yaml from 'js-yaml';

/**
 * `--format yaml`: the original's PyYAML block style — keys sorted, sequences not indented under
 * their key, strings that would read as another type single-quoted.
 */
export function formatYaml(value: unknown): string {
  return yaml.dump(value, { sortKeys: true, seqNoIndent: true, lineWidth: -1, noRefs: true });
}
