import { UsageError } from '../argv.js';
import type { CommandArgs } from '../command.js';
import type { ClientConfig } from '../../../../libs/config/src/index.js';
import { OUTPUT_FORMATS, type OutputFormat } from './format/index.js';

export interface ClientSettings {
  url: string;
  name: string;
  key: string;
  format: OutputFormat;
}

/** Options first, then the `client` section of the configuration, as the original does. */
export function clientSettings(
  args: CommandArgs,
  config: ClientConfig | undefined,
): ClientSettings {
  const option = (name: string): string | undefined => {
    const v = args.options[name];
    return typeof v === 'string' ? v : undefined;
  };
  const format = (option('format') ?? 'json').toLowerCase();
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`invalid format '${format}' (one of ${OUTPUT_FORMATS.join(', ')})`);
  }
  const settings = {
    url: option('url') ?? config?.url ?? '',
    name: option('auth-name') ?? config?.auth.name ?? '',
    key: option('auth-key') ?? config?.auth.key ?? '',
    format: format as OutputFormat,
  };
  const missing = [
    ['--url', 'client.url', settings.url],
    ['--auth-name', 'client.auth.name', settings.name],
    ['--auth-key', 'client.auth.key', settings.key],
  ].filter(([, , v]) => v === '');
  if (missing.length > 0) {
    throw new UsageError(
      `missing ${missing.map(([o, k]) => `${o} (or ${k} in the configuration)`).join(', ')}`,
    );
  }
  return settings;
}
