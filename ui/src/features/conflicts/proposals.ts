// The proposals panel's logic, apart from the markup: which moves an option makes, and where
// they land on the calendar grid for the preview.
import type { AgendaItem, MoveDto, ProposalDto } from "../../ipc";

/** The moves of the option chosen for a proposal: 0 the proposal itself, 1–3 an alternative. */
export function movesOf(p: ProposalDto, option: number): MoveDto[] {
  return option > 0 && p.alternatives[option - 1] ? p.alternatives[option - 1].moves : p.moves;
}

/** A move drawn on the grid: where the meeting would go, in the day's own wall clock. */
export interface Ghost {
  summary: string;
  action: string;
  /** YYYY-MM-DD */
  day: string;
  /** Minutes since midnight. */
  top: number;
  minutes: number;
  /** The calendar item that moves, when it is on the days shown. */
  from: number;
}

const minutesOf = (wall: string) => Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16));

/** The ghosts of `moves` over `items` (those left without a new time draw none). */
export function ghostsOf(moves: MoveDto[], items: AgendaItem[]): Ghost[] {
  return moves.flatMap((m) => {
    if (!m.view_to) return [];
    const from = items.findIndex((it) => it.uid === m.uid && it.view_start.slice(0, 16) === m.view_from.slice(0, 16));
    const length = from >= 0 ? (Date.parse(items[from].view_end + "Z") - Date.parse(items[from].view_start + "Z")) / 60000 : 30;
    return [{ summary: m.summary, action: m.action, day: m.view_to.slice(0, 10), top: minutesOf(m.view_to), minutes: Math.max(5, length), from }];
  });
}
