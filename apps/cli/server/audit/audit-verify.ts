import { verifyChains } from '@app/event-store';
import type { ChainAnchor, EventStore } from '@app/event-store';
import { AnchorFileError, readAnchors, writeAnchors } from './anchor-file';
import { openReadModels, verifyReadModels } from '@app/read-models';
import { loadServerConfig } from '../infrastructure/server-config';
import type { ServerArgv } from '../server-argv';
import { processServerIo, type ServerCommand, type ServerIo } from '../server-io';
import { ServerUsageError } from '../usage-error';
import { brokenLine, chainLines } from './chain-lines';
import { readModelLines } from './read-model-lines';
import { openVerifyTarget } from './verify-target';

const EMBEDDED =
  'a duffy dev folder: PGlite is one session for every connection, so a replay cannot sit ' +
  'beside the live tables';

export interface AuditVerifyOptions {
  /** Whether to show progress on stderr (a terminal only: a log file wants no \r lines). */
  progress: boolean;
}

/**
 * `duffy audit verify`: re-hashes every stream of the event log (hash-chain/, the first broken
 * link wins), then replays the read models and compares them, as `projector verify` does.
 * With `--anchors FILE`, the stream tails a clean earlier run kept there must still be in the
 * log (a rewrite that recomputed the later hashes shows), and a clean run writes the new ones.
 * Exit 0 when all is clean, 1 otherwise.
 */
export async function runAuditVerify(
  args: ServerArgv,
  io: ServerIo,
  options: AuditVerifyOptions,
): Promise<number> {
  if (args.words.length > 0)
    throw new ServerUsageError(`Got unexpected extra argument (${args.words[0]})`);
  const unknown = Object.keys(args.options).find((name) => name !== 'anchors');
  if (unknown !== undefined) throw new ServerUsageError(`No such option: --${unknown}`);
  const anchorFile = args.options.anchors;
  if (anchorFile === true || anchorFile === '') {
    throw new ServerUsageError('Option --anchors requires a file');
  }
  const config = loadServerConfig(args, io);
  if (!config) return 1;
  let anchors: Map<string, ChainAnchor> | undefined;
  try {
    anchors = anchorFile === undefined ? undefined : readAnchors(anchorFile);
  } catch (error) {
    if (!(error instanceof AnchorFileError)) throw error;
    io.stderr(`Error: ${error.message}\n`);
    return 1;
  }
  const opened = await openVerifyTarget(config);
  const url = opened.readModelUrl;
  try {
    const started = performance.now();
    const chains = await verifyChains(opened.store, {
      anchors,
      onProgress: options.progress
        ? (checked) => io.stderr(`\rchecking hash chains: ${checked} events`)
        : undefined,
    });
    const seconds = (performance.now() - started) / 1000;
    if (options.progress) io.stderr('\r\x1b[K');
    io.stdout(chainLines(chains, seconds));

    if (url === undefined) io.stdout(`read models: not compared (${EMBEDDED})\n`);
    const differing = url === undefined ? 0 : await compareReadModels(url, opened.store, io);
    const broken = brokenLine(chains);
    if (broken) io.stderr(`${broken}\n`);
    if (differing > 0) {
      io.stderr(
        `FAILED: read models differ from a replay (${differing} row${differing === 1 ? '' : 's'})\n`,
      );
    }
    if (broken || differing > 0) return 1;
    if (anchorFile !== undefined) {
      writeAnchors(anchorFile, chains.tails);
      io.stdout(
        `anchors: ${anchors === undefined ? 'none kept yet' : `${anchors.size} held`}; ` +
          `${chains.tails.size} written to ${anchorFile}\n`,
      );
    }
    io.stdout(
      url === undefined
        ? 'OK: hash chains hold\n'
        : 'OK: hash chains hold and read models match a replay\n',
    );
    return 0;
  } finally {
    await opened.close();
  }
}

/** Replays the read models beside the live ones and prints the comparison; differing rows. */
async function compareReadModels(url: string, store: EventStore, io: ServerIo): Promise<number> {
  // Makes sure the live tables exist, so an empty database verifies as empty.
  await (await openReadModels({ url, poolSize: 1 })).destroy();
  const readModels = await verifyReadModels({ url, store });
  io.stdout(readModelLines(readModels));
  return readModels.differences.length;
}

export const auditVerify: ServerCommand = (args, io) =>
  runAuditVerify(args, io, { progress: io === processServerIo && !!process.stderr.isTTY });
