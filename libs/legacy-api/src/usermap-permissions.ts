// The usermap holds the legacy keys, which are REST v1 passwords (W-S6): a file that every local
// user can read gives them away, so the metaclient refuses to start with one.
import { statSync } from 'node:fs';
import { loadRawConfig } from '@app/config';

/** Problems (`FILE: reason`) for files that set metaclient.usermap keys and are world-readable. */
export function usermapPermissionProblems(paths: string[], env: NodeJS.ProcessEnv): string[] {
  const { raw, provenance } = loadRawConfig(paths, env);
  const mc = raw.metaclient as { usermap?: unknown } | undefined;
  const usermap = mc?.usermap;
  if (usermap === null || typeof usermap !== 'object') return [];
  const files = new Set(
    Object.keys(usermap).map((k) => provenance.sourceOf(['metaclient', 'usermap', k])),
  );
  const problems: string[] = [];
  for (const file of files) {
    // Environment overrides (DUFFY_…) are not files.
    if (!file.startsWith('/')) continue;
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o004) {
      problems.push(
        `${file}: metaclient.usermap: the file is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod o-r it`,
      );
    }
  }
  return problems;
}
