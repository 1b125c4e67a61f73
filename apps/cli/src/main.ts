import { processIo } from './io.js';
import { runDuffy } from './program.js';

process.exitCode = await runDuffy(process.argv.slice(2), processIo);
