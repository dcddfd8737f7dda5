import { describe, expect, it } from "vitest";
import { filterCommands, type Command } from "./commands";

const cmd = (title: string): Command => ({ id: title, title, group: "g", run: () => {} });
const all = [cmd("Week view"), cmd("Day view"), cmd("Go to today"), cmd("Switch to Marcus Bell"), cmd("Edit profile")];

describe("filterCommands", () => {
  it("returns everything for an empty query", () => {
    expect(filterCommands(all, "  ")).toHaveLength(all.length);
  });
  it("needs every word and ranks title starts first", () => {
    expect(filterCommands(all, "view").map((c) => c.title)).toEqual(["Week view", "Day view"]);
    expect(filterCommands(all, "day").map((c) => c.title)).toEqual(["Day view", "Go to today"]);
    expect(filterCommands(all, "switch marcus").map((c) => c.title)).toEqual(["Switch to Marcus Bell"]);
    expect(filterCommands(all, "nothing here")).toEqual([]);
  });
  it("treats regex characters literally", () => {
    expect(filterCommands([cmd("1:1 (weekly)")], "(weekly")).toHaveLength(1);
  });
});
