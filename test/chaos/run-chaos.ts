import { randomInt } from 'node:crypto';
import { parseChaosArgs } from './chaos-args';
import { runChaos } from './chaos-run';
import { renderReport } from './report/run-report';

/**
 * `npm run chaos -- [--minutes N] [--seed S] [--out DIR] [--keep]`: one bounded chaos run on the
 * built services (`npm run build` first). Exits 0 when every promise held, 1 otherwise, 2 on
 * bad arguments.
 */
async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseChaosArgs(argv, () => randomInt(1, 2 ** 31));
  } catch (error) {
    process.stderr.write(`chaos: ${(error as Error).message}\n`);
    return 2;
  }
  const log = (line: string) => process.stdout.write(`[${new Date().toISOString()}] ${line}\n`);
  const report = await runChaos(args, log);
  process.stdout.write(renderReport(report));
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  },
);
