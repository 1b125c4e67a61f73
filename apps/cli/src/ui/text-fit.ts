/** Cuts `text` to at most `width` characters, marking a cut with `…`. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Truncates or pads to exactly `width` characters, for table columns. */
export function column(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(width - [...cut].length);
}

/**
 * The slice of a list of `total` rows that fits `height` rows and keeps `selected` in view,
 * as [start, end). The selection sits as near the middle as the ends allow.
 */
export function visibleWindow(total: number, selected: number, height: number): [number, number] {
  if (height <= 0) return [0, 0];
  if (total <= height) return [0, total];
  const start = Math.min(Math.max(selected - Math.floor(height / 2), 0), total - height);
  return [start, start + height];
}
