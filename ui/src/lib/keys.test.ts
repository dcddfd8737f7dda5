import { describe, expect, it } from "vitest";
import { dateInZone, isTypingTarget } from "./keys";

describe("keys", () => {
  it("knows when the EP is typing", () => {
    expect(isTypingTarget(document.createElement("textarea"))).toBe(true);
    expect(isTypingTarget(document.createElement("input"))).toBe(true);
    expect(isTypingTarget(document.createElement("button"))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
  it("finds the date of an instant in the executive's zone", () => {
    expect(dateInZone("2026-11-25T03:00:00Z", "America/New_York")).toBe("2026-11-24");
    expect(dateInZone("2026-11-25T03:00:00Z", "Asia/Tokyo")).toBe("2026-11-25");
  });
});
