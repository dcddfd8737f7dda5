import { describe, expect, it } from "vitest";
import { laneStops, nextLane, snoozeChoices } from "./lanes";

const lanes = [
  { lane: "needs_executive", count: 3 },
  { lane: "untriaged", count: 0 },
  { lane: "ep_handles", count: 2 },
  { lane: "waiting_on_others", count: 0 },
  { lane: "fyi", count: 1 },
  { lane: "noise", count: 9 },
];

describe("the lane bar", () => {
  it("stops at the whole inbox and each lane, untriaged only when it holds mail", () => {
    expect(laneStops(lanes)).toEqual([null, "needs_executive", "ep_handles", "waiting_on_others", "fyi", "noise"]);
    expect(laneStops([{ lane: "untriaged", count: 2 }])).toEqual([null, "untriaged"]);
  });
  it("cycles both ways and wraps", () => {
    expect(nextLane(lanes, null, 1)).toBe("needs_executive");
    expect(nextLane(lanes, null, -1)).toBe("noise");
    expect(nextLane(lanes, "noise", 1)).toBe(null);
  });
});

describe("snooze choices", () => {
  it("are read on the executive's clock", () => {
    // 14:00Z is 09:00 in New York on Tuesday 24 November 2026.
    expect(snoozeChoices("2026-11-24T14:00:00Z", "America/New_York")).toEqual([
      { key: "1", label: "Later today, 12:00", until: "2026-11-24T12:00" },
      { key: "2", label: "Tomorrow, 08:00", until: "2026-11-25T08:00" },
      { key: "3", label: "Next Monday, 08:00", until: "2026-11-30T08:00" },
    ]);
  });
  it("leave out later today in the evening", () => {
    const late = snoozeChoices("2026-11-25T01:30:00Z", "America/New_York"); // 20:30 on the 24th
    expect(late.map((c) => c.until)).toEqual(["2026-11-25T08:00", "2026-11-30T08:00"]);
    expect(late[0].key).toBe("1");
  });
});
