import { UsageError } from '../../argv.js';
import type { CommandArgs } from '../../command.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../format/index.js';
import { stdoutColumns, type AuditIo } from './audit-io.js';

/** The client's formats, plus `text`: the human timeline. */
export type AuditFormat = OutputFormat | 'text';

export const AUDIT_FORMATS: readonly AuditFormat[] = ['text', ...OUTPUT_FORMATS];

/**
 * `--format` when given; else the timeline on a terminal and, in a pipe, json as every other
 * client command prints there.
 */
export function auditFormat(options: CommandArgs['options'], io: AuditIo): AuditFormat {
  const given = options.format;
  if (typeof given !== 'string') return stdoutColumns(io) === undefined ? 'json' : 'text';
  const format = given.toLowerCase();
  if (!(AUDIT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `--format: invalid format '${given}' (one of ${AUDIT_FORMATS.join(', ')})`,
    );
  }
  return format as AuditFormat;
}
