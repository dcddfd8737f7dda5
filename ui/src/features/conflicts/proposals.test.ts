import { describe, expect, it } from "vitest";
import type { AgendaItem, MoveDto, ProposalDto } from "../../ipc";
import { ghostsOf, movesOf } from "./proposals";

const move = (summary: string, from: string, to: string | null, action = "move"): MoveDto => ({
  uid: summary, recurrence_id: null, summary, tier: "P2", own: action === "move", action,
  from: from + "Z", to: to ? to + "Z" : null, view_from: from, view_to: to, reason: "because",
});

const item = (summary: string, start: string, end: string) =>
  ({ uid: summary, recurrence_id: null, summary, view_start: start, view_end: end }) as unknown as AgendaItem;

describe("proposals", () => {
  const p: ProposalDto = {
    id: "p1",
    resolves: ["a and b overlap"],
    moves: [move("1:1", "2026-11-24T14:00:00", "2026-11-24T13:35:00")],
    alternatives: [{ moves: [move("Audit prep", "2026-11-24T14:30:00", "2026-11-24T16:00:00", "counter")], extra_cost: 50 }],
  };

  it("an option is the proposal itself or one of its alternatives", () => {
    expect(movesOf(p, 0)[0].summary).toBe("1:1");
    expect(movesOf(p, 1)[0].summary).toBe("Audit prep");
    expect(movesOf(p, 3)[0].summary).toBe("1:1");
  });

  it("a move is drawn at its new time for as long as the meeting lasts, linked to the block that moves", () => {
    const items = [item("other", "2026-11-24T09:00:00", "2026-11-24T10:00:00"), item("1:1", "2026-11-24T14:00:00", "2026-11-24T14:45:00")];
    expect(ghostsOf(p.moves, items)).toEqual([
      { summary: "1:1", action: "move", day: "2026-11-24", top: 13 * 60 + 35, minutes: 45, from: 1 },
    ]);
  });

  it("a meeting left without a time draws nothing", () => {
    expect(ghostsOf([move("x", "2026-11-24T14:00:00", null, "unresolved")], [])).toEqual([]);
  });
});
