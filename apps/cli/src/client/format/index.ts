import { formatFlat } from './flat.js';
import { formatJson } from './json.js';
import { formatYaml } from './yaml.js';

export const OUTPUT_FORMATS = ['json', 'yaml', 'flat'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Prints an API result (or `{"error": {"detail": ...}}`) the way the original client does. */
export function formatResult(result: Record<string, unknown>, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'yaml':
      return formatYaml(result);
    case 'flat':
      return formatFlat(result);
  }
}

export { formatFlat, formatJson, formatYaml };
