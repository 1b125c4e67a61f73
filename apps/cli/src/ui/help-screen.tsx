import { KEY_BINDINGS } from './key-bindings.js';
import { RowsView, type Row } from './rows-view.js';
import { column } from './text-fit.js';

/** Every key binding, where it works and what it does. */
export function HelpScreen({ height }: { height: number }) {
  const rows: Row[] = [
    { text: `  ${column('KEYS', 14)} ${column('WHERE', 12)} ACTION`, dim: true },
    ...KEY_BINDINGS.map((b) => ({
      text: `  ${column(b.keys, 14)} ${column(b.where, 12)} ${b.action}`,
    })),
  ];
  return <RowsView rows={rows.slice(0, height)} />;
}
