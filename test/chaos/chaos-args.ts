/** `npm run chaos -- [--minutes N] [--seed S] [--out DIR] [--keep]`. */
export interface ChaosArgs {
  /** How long the load and the faults run. */
  minutes: number;
  seed: number;
  /** Where logs, answers, markers and the report go. */
  out?: string;
  /** Keep the run's database (for a look with psql) instead of dropping it. */
  keep: boolean;
}

export function parseChaosArgs(argv: string[], randomSeed: () => number): ChaosArgs {
  const args: ChaosArgs = { minutes: 3, seed: randomSeed(), keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--minutes') {
      args.minutes = Number(value());
      if (!(args.minutes > 0 && args.minutes <= 240)) {
        throw new Error('--minutes must be a number of minutes between 0 and 240');
      }
    } else if (a === '--seed') {
      const v = value();
      if (!/^\d{1,10}$/.test(v)) throw new Error('--seed must be a whole number');
      args.seed = Number(v);
    } else if (a === '--out') args.out = value();
    else if (a === '--keep') args.keep = true;
    else throw new Error(`unknown argument ${a} (usage: --minutes N --seed S --out DIR --keep)`);
  }
  return args;
}
