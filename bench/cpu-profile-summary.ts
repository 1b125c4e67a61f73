import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

// `node dist/bench/bench/cpu-profile-summary.js <dir> [top]`: for every *.cpuprofile in <dir>
// (written by --cpu-prof), the top functions by self time and by inclusive time, file:line.
// When allocation-cycle.bench.ts left a windows.jsonl there, a profile counts only the samples
// of its level's measured window and the times are also given per completed cycle. A third
// table keeps this repository's functions only: which of our code paths the time went through.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}
interface Window {
  mode: string;
  level: string;
  role: string;
  pid: number;
  startUs: number;
  endUs: number;
  cycles: number;
}

/** Pseudo-frames that are not work of ours. */
const NOT_WORK = new Set(['(idle)', '(root)', '(program)']);
/** Leaves that are waiting, not working: V8's idle, and a piscina worker blocked in Atomics.wait. */
const WAITING = new Set(['(idle)', 'atomicsWaitLoop']);
const ROOT = join(__dirname, '..', '..', '..');
/** This repository's code, as compiled by `tsc -p bench/tsconfig.json` (lines are the .js's). */
const OURS = 'dist/bench/';

function main(dir: string, top: number): void {
  const windows = readWindows(dir);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  if (files.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  for (const file of files) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
    const [, pid, thread] = /\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(file) ?? [];
    const window = windows.find((w) => w.pid === Number(pid));
    summarize(
      join(dir, file),
      window,
      thread && thread !== '0' ? `worker thread ${thread}` : '',
      top,
    );
  }
}

function summarize(file: string, window: Window | undefined, thread: string, top: number) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    // A sample stands for the time until the next one.
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (window && (t < window.startUs || t > window.endUs)) continue;
    const leaf = byId.get(profile.samples[i]) as ProfileNode;
    if (WAITING.has(leaf.callFrame.functionName)) {
      idle += dt;
      continue;
    }
    busy += dt;
    add(self, frameName(leaf.callFrame), dt);
    const seen = new Set<string>(); // recursion counts once per sample
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = (byId.get(id) as ProfileNode).callFrame;
      if (NOT_WORK.has(frame.functionName)) continue;
      const name = frameName(frame);
      if (!seen.has(name)) add(inclusive, name, dt);
      seen.add(name);
    }
  }
  const cycles = window?.cycles ?? 0;
  const where = [
    window ? `${window.mode} ${window.role}, level ${window.level}` : 'whole run',
    thread,
  ]
    .filter(Boolean)
    .join(', ');
  console.log(`\n## ${basename(file)} (${where})\n`);
  console.log(
    `busy ${(busy / 1000).toFixed(2)} s, idle ${(idle / 1000).toFixed(2)} s` +
      (cycles > 0
        ? `, ${cycles} cycles: ${(busy / cycles).toFixed(1)} ms CPU per cycle (POST + PUT)`
        : ''),
  );
  const ours = new Map([...inclusive].filter(([name]) => name.split('\t')[1].startsWith(OURS)));
  for (const [title, table] of [
    ['self', self],
    ['inclusive', inclusive],
    ['inclusive (this repository)', ours],
  ] as const) {
    console.log(
      `\n| # | ${title} ms | % of busy |${cycles > 0 ? ' ms/cycle |' : ''} function | file:line |`,
    );
    console.log(`|---|---|---|${cycles > 0 ? '---|' : ''}---|---|`);
    const rows = [...table].sort((a, b) => b[1] - a[1]).slice(0, top);
    rows.forEach(([name, ms], i) => {
      const [fn, at] = name.split('\t');
      const perCycle = cycles > 0 ? ` ${(ms / cycles).toFixed(2)} |` : '';
      console.log(
        `| ${i + 1} | ${ms.toFixed(0)} | ${((100 * ms) / busy).toFixed(1)} |${perCycle} ${fn} | ${at} |`,
      );
    });
  }
}

function frameName(f: CallFrame): string {
  const fn = f.functionName || '(anonymous)';
  if (!f.url) return `${fn}\t(native)`;
  const path = f.url.startsWith('file://') ? decodeURIComponent(new URL(f.url).pathname) : f.url;
  const shown = path.startsWith(ROOT) ? relative(ROOT, path) : path;
  return `${fn}\t${shown}:${f.lineNumber + 1}`;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function readWindows(dir: string): Window[] {
  const file = join(dir, 'windows.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Window);
}

const [dir, top] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node cpu-profile-summary.js <profile dir> [top, default 25]');
  process.exit(2);
}
main(dir, Number(top ?? 25));
