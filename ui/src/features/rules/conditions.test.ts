import { describe, expect, it } from "vitest";
import { blank, conditionOf, fromText, toText } from "./conditions";

describe("rule conditions in the form", () => {
  it("round-trip lists, yes/no and bounds through the text the EP types", () => {
    expect(fromText("list", " board, @acme.com ,, vip")).toEqual(["board", "@acme.com", "vip"]);
    expect(toText("list", ["board", "vip"])).toBe("board, vip");
    expect(toText("list", "fri")).toBe("fri");
    expect(fromText("bool", "Yes")).toBe(true);
    expect(toText("bool", false)).toBe("no");
    expect(fromText("bounds", "–60")).toEqual({ max: 60 });
    expect(fromText("bounds", "10-14")).toEqual({ min: 10, max: 14 });
    expect(toText("bounds", { min: 10 })).toBe("10–");
    expect(fromText("text", " 13:00-24:00 ")).toBe("13:00-24:00");
  });

  it("knows each condition's kind and starts new ones empty", () => {
    expect(conditionOf("lead_hours").kind).toBe("bounds");
    expect(conditionOf("in_person_elsewhere").kind).toBe("bool");
    expect(blank("list")).toEqual([]);
  });
});
