import { describe, expect, it } from "vitest";
import type { AgendaItem } from "../../ipc";
import { allDayOn, layoutDay } from "./layout";

function item(summary: string, view_start: string, view_end: string, all_day = false): AgendaItem {
  return {
    uid: summary,
    recurrence_id: null,
    summary,
    start: view_start,
    end: view_end,
    all_day,
    calendars: ["Work"],
    color: "#000",
    location: null,
    status: "confirmed",
    free: false,
    recurring: false,
    organizer: null,
    own: false,
    attendee_count: 0,
    response: null,
    conflict: false,
    conflicts_with: [],
    view_start,
    view_end,
  };
}

describe("layoutDay", () => {
  it("puts overlapping meetings side by side and lone ones full width", () => {
    const items = [
      item("1:1", "2026-11-24T14:00", "2026-11-24T14:45"),
      item("Audit prep", "2026-11-24T14:30", "2026-11-24T15:30"),
      item("Pitch", "2026-11-24T15:00", "2026-11-24T15:45"),
      item("Later", "2026-11-24T17:00", "2026-11-24T17:30"),
    ];
    const placed = layoutDay(items, "2026-11-24");
    const by = (s: string) => placed.find((p) => p.item.summary === s)!;
    expect([by("1:1").column, by("Audit prep").column, by("Pitch").column]).toEqual([0, 1, 0]);
    expect(by("1:1").columns).toBe(2);
    expect(by("Later").columns).toBe(1);
    expect(by("1:1").top).toBe(14 * 60);
    expect(by("1:1").height).toBe(45);
  });

  it("clips an overnight flight to each day it touches", () => {
    const flight = item("Flight", "2026-11-25T19:30", "2026-11-26T02:35");
    const first = layoutDay([flight], "2026-11-25")[0];
    const second = layoutDay([flight], "2026-11-26")[0];
    expect([first.top, first.height, first.continuesAfter]).toEqual([1170, 270, true]);
    expect([second.top, second.height, second.continuesBefore]).toEqual([0, 155, true]);
    expect(layoutDay([flight], "2026-11-27")).toEqual([]);
  });

  it("gives a zero-length reminder a visible block", () => {
    expect(layoutDay([item("Ping", "2026-11-24T09:00", "2026-11-24T09:00")], "2026-11-24")[0].height).toBe(15);
  });

  it("shows all-day items on every day they cover and no other", () => {
    const hotel = item("Hotel", "2026-11-26T00:00", "2026-11-27T00:00", true);
    expect(allDayOn([hotel], "2026-11-26")).toHaveLength(1);
    expect(allDayOn([hotel], "2026-11-27")).toHaveLength(0);
    expect(layoutDay([hotel], "2026-11-26")).toHaveLength(0);
  });
});
