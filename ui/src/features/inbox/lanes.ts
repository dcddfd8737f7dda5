// The inbox's lanes as the EP reads them, and the snooze times offered, computed on the
// executive's clock (not the laptop's: the EP may be in another zone).
import type { LaneCount } from "../../ipc";
import { addDays, weekStart } from "../../lib/time";
import { wallClockInZone } from "../../lib/keys";

export const LANE_LABELS: Record<string, string> = {
  needs_executive: "Needs exec",
  untriaged: "Not triaged",
  ep_handles: "EP handles",
  waiting_on_others: "Waiting",
  fyi: "FYI",
  noise: "Noise",
};

/** The lanes a message can be moved to, with the key that picks each in the move menu. */
export const MOVE_TARGETS: { lane: string; key: string }[] = [
  { lane: "needs_executive", key: "1" },
  { lane: "ep_handles", key: "2" },
  { lane: "waiting_on_others", key: "3" },
  { lane: "fyi", key: "4" },
  { lane: "noise", key: "5" },
];

/** The lane bar's stops: the whole inbox, then each lane with mail in it (untriaged only when some is). */
export function laneStops(lanes: LaneCount[]): (string | null)[] {
  return [null, ...lanes.filter((l) => l.lane !== "untriaged" || l.count > 0).map((l) => l.lane)];
}

/** The next stop from `current` in `direction` (wrapping). */
export function nextLane(lanes: LaneCount[], current: string | null, direction: number): string | null {
  const stops = laneStops(lanes);
  const i = Math.max(0, stops.indexOf(current));
  return stops[(i + direction + stops.length) % stops.length];
}

export interface SnoozeChoice {
  key: string;
  label: string;
  /** `YYYY-MM-DDTHH:MM` on the executive's clock. */
  until: string;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Later today (three hours on, on the hour, if before 21:00), tomorrow 08:00, next Monday 08:00. */
export function snoozeChoices(nowIso: string, zone: string): SnoozeChoice[] {
  const { date, minutes } = wallClockInZone(nowIso, zone);
  const out: SnoozeChoice[] = [];
  const later = Math.floor(minutes / 60) + 3;
  if (later < 21) out.push({ key: "1", label: `Later today, ${pad(later)}:00`, until: `${date}T${pad(later)}:00` });
  out.push({ key: String(out.length + 1), label: "Tomorrow, 08:00", until: `${addDays(date, 1)}T08:00` });
  const monday = weekStart(addDays(date, 7));
  out.push({ key: String(out.length + 1), label: `Next Monday, 08:00`, until: `${monday}T08:00` });
  return out;
}
