import { describe, expect, it } from "vitest";
import { dateInZone, editorKeys, isTypingTarget, wallClockInZone } from "./keys";

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
    expect(wallClockInZone("2026-11-24T14:05:00Z", "America/New_York")).toEqual({ date: "2026-11-24", minutes: 9 * 60 + 5 });
    expect(wallClockInZone("2026-11-24T05:00:00Z", "America/New_York").minutes).toBe(0);
  });
  it("closes an editor with Escape, saves it with Ctrl+Enter, and keeps its keys from the window", () => {
    const done: string[] = [];
    const keys = editorKeys(() => done.push("close"), () => done.push("save"));
    const press = (init: KeyboardEventInit) => {
      const e = new KeyboardEvent("keydown", { ...init, cancelable: true });
      keys(e);
      return e;
    };
    press({ key: "Escape" });
    expect(press({ key: "Enter", ctrlKey: true }).defaultPrevented).toBe(true);
    press({ key: "Enter" });
    press({ key: "a" });
    expect(done).toEqual(["close", "save"]);
  });
});
