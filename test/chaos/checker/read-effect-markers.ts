import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EffectMarker } from '../contract';

const MARKER_FILE = /^(\d+)\.log$/;
const KINDS = new Set(['provision', 'deprovision']);

/**
 * The playbooks' effect markers: one file per node, `DIR/<nodeId>.log`, one line per effect,
 * `<kind> <ISO time> <correlationId or ->`. A line that is not one (a playbook killed while
 * writing it) is returned in `unreadable`, not dropped silently.
 */
export async function readEffectMarkers(
  dir: string,
): Promise<{ markers: EffectMarker[]; unreadable: string[] }> {
  const markers: EffectMarker[] = [];
  const unreadable: string[] = [];
  if (!existsSync(dir)) return { markers, unreadable };
  for (const name of (await readdir(dir)).sort()) {
    const match = MARKER_FILE.exec(name);
    if (!match) continue;
    const nodeId = Number(match[1]);
    const text = await readFile(join(dir, name), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const marker = parseMarkerLine(nodeId, line);
      if (marker) markers.push(marker);
      else unreadable.push(`${name}: ${line}`);
    }
  }
  return { markers, unreadable };
}

export function parseMarkerLine(nodeId: number, line: string): EffectMarker | undefined {
  const [kind, at, correlation, ...rest] = line.trim().split(/\s+/);
  if (!KINDS.has(kind) || rest.length > 0 || Number.isNaN(Date.parse(at ?? ''))) return undefined;
  return {
    kind: kind as EffectMarker['kind'],
    nodeId,
    at,
    ...(correlation && correlation !== '-' ? { correlationId: correlation } : {}),
  };
}
