import { describe, expect, it } from "vitest";
import { addDays, ago, dayLabel, hhmm, minutesFrom, weekStart } from "./time";

describe("local dates", () => {
  it("adds days across month and year ends", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
  });
  it("starts weeks on Monday", () => {
    expect(weekStart("2026-11-28")).toBe("2026-11-23");
    expect(weekStart("2026-11-23")).toBe("2026-11-23");
    expect(weekStart("2026-11-29")).toBe("2026-11-23");
  });
  it("counts minutes from a day's midnight, past it and before it", () => {
    expect(minutesFrom("2026-11-25", "2026-11-25T19:30")).toBe(1170);
    expect(minutesFrom("2026-11-26", "2026-11-25T19:30")).toBe(-270);
    expect(minutesFrom("2026-11-25", "2026-11-26T02:35")).toBe(1595);
  });
  it("labels days and ages", () => {
    expect(dayLabel("2026-11-24")).toBe("Tue 24 Nov");
    expect(ago("2026-11-24T12:00:00Z", "2026-11-24T14:00:00Z")).toBe("2h");
    expect(ago("2026-11-20T14:00:00Z", "2026-11-24T14:00:00Z")).toBe("4d");
  });
});

describe("hhmm", () => {
  it("writes minutes since midnight as a 24-hour clock", () => {
    expect([hhmm(0), hhmm(9 * 60 + 5), hhmm(23 * 60 + 59)]).toEqual(["00:00", "09:05", "23:59"]);
  });
});
