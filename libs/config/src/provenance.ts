// Which source (file or DUFFY_* variable) set each key path last, so problems can name it.
import { KeyPath } from './problems';
import { isMapping } from './merge';

const SEP = '\u0000';
const keyOf = (path: KeyPath): string => path.map(String).join(SEP);

export class Provenance {
  private readonly sources = new Map<string, string>();

  /** Records `source` for `path` and everything below it, forgetting older entries below it. */
  setTree(path: KeyPath, value: unknown, source: string): void {
    this.clearBelow(path);
    this.record(path, value, source);
  }

  private record(path: KeyPath, value: unknown, source: string): void {
    this.sources.set(keyOf(path), source);
    if (isMapping(value)) {
      for (const [k, v] of Object.entries(value)) this.record([...path, k], v, source);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => this.record([...path, i], v, source));
    }
  }

  set(path: KeyPath, source: string): void {
    this.sources.set(keyOf(path), source);
  }

  /** The source of `path`, else of its nearest recorded ancestor (a missing key's parent). */
  sourceOf(path: KeyPath): string {
    for (let n = path.length; n >= 0; n--) {
      const hit = this.sources.get(keyOf(path.slice(0, n)));
      if (hit !== undefined) return hit;
    }
    return '<config>';
  }

  private clearBelow(path: KeyPath): void {
    const prefix = keyOf(path) + SEP;
    for (const k of [...this.sources.keys()]) {
      if (k.startsWith(prefix) || (path.length === 0 && k !== '')) this.sources.delete(k);
    }
  }
}
