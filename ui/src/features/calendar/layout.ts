// Placing a day's meetings on a time grid: each timed item becomes a block clipped to the day,
// and overlapping blocks share the width in columns (the way every calendar app draws double
// bookings, which is exactly what the EP needs to see).
import type { AgendaItem } from "../../ipc";
import { addDays, minutesFrom } from "../../lib/time";

export interface Placed {
  item: AgendaItem;
  /** Index of the item in the range's item list (its identity for selection). */
  index: number;
  /** Minutes from the day's midnight. */
  top: number;
  height: number;
  column: number;
  columns: number;
  continuesBefore: boolean;
  continuesAfter: boolean;
}

/** A zero-length meeting still needs a visible block. */
const MIN_MINUTES = 15;

export function covers(item: AgendaItem, date: string): boolean {
  const dayStart = `${date}T00:00`;
  const dayEnd = `${addDays(date, 1)}T00:00`;
  if (item.view_start === item.view_end) return item.view_start >= dayStart && item.view_start < dayEnd;
  return item.view_start < dayEnd && item.view_end > dayStart;
}

/** All-day items shown on `date`, with their indexes. */
export function allDayOn(items: AgendaItem[], date: string): { item: AgendaItem; index: number }[] {
  return items.flatMap((item, index) => (item.all_day && covers(item, date) ? [{ item, index }] : []));
}

export function layoutDay(items: AgendaItem[], date: string): Placed[] {
  const blocks: Placed[] = [];
  items.forEach((item, index) => {
    if (item.all_day || !covers(item, date)) return;
    const start = minutesFrom(date, item.view_start);
    const end = minutesFrom(date, item.view_end);
    const top = Math.max(0, start);
    const bottom = Math.min(1440, Math.max(end, start + MIN_MINUTES));
    blocks.push({
      item,
      index,
      top,
      height: Math.max(bottom - top, MIN_MINUTES),
      column: 0,
      columns: 1,
      continuesBefore: start < 0,
      continuesAfter: end > 1440,
    });
  });
  blocks.sort((a, b) => a.top - b.top || b.height - a.height || a.index - b.index);

  // Sweep clusters of transitively overlapping blocks; inside one, take the first free column.
  let cluster: Placed[] = [];
  let clusterEnd = -1;
  const close = () => {
    const columns = Math.max(1, ...cluster.map((b) => b.column + 1));
    for (const b of cluster) b.columns = columns;
    cluster = [];
  };
  for (const b of blocks) {
    if (b.top >= clusterEnd && cluster.length) close();
    const used = new Set(cluster.filter((c) => c.top + c.height > b.top).map((c) => c.column));
    let column = 0;
    while (used.has(column)) column++;
    b.column = column;
    cluster.push(b);
    clusterEnd = Math.max(clusterEnd, b.top + b.height);
  }
  if (cluster.length) close();
  return blocks;
}
