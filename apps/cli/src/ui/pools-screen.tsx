import type { PoolStatus } from './duffy-api.js';
import { POOL_HEADER, poolRow } from './pool-rows.js';
import { RowsView, type Row } from './rows-view.js';
import { visibleWindow } from './text-fit.js';

export interface PoolsScreenProps {
  pools: PoolStatus[];
  loaded: boolean;
  selected: number;
  /** Rows available. */
  height: number;
}

/** Every pool: ready nodes against the fill level, and its nodes by state. */
export function PoolsScreen({ pools, loaded, selected, height }: PoolsScreenProps) {
  const rows: Row[] = [{ text: POOL_HEADER, dim: true }];
  if (pools.length === 0) rows.push({ text: loaded ? '  no pools' : '  loading…' });
  const [start, end] = visibleWindow(pools.length, selected, height - 1);
  pools.slice(start, end).forEach((pool, i) => {
    const isSelected = start + i === selected;
    rows.push({ text: poolRow(pool, isSelected), selected: isSelected });
  });
  return <RowsView rows={rows} />;
}
