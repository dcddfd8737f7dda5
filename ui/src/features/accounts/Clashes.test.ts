// The clashes dialog against a fake backend: both sides shown, settled from the keyboard.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Clashes from "./Clashes.svelte";

const clash = (id: number, ours: string, theirs: string) => ({ id, uid: `m${id}@t`, summary: `${theirs}: summary changed on both sides`, fields: ["summary"], ours, theirs, at: "2026-11-24T14:05:00Z" });

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("the clashes dialog", () => {
  it("shows both sides, moves with j, keeps ours with o (then syncs) and the server's with s", async () => {
    let kept = [clash(1, "Carpool (Dana drives)", "Carpool (Sam drives)"), clash(2, "Budget (final)", "Budget (moved by Li)")];
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      if (cmd === "clashes") return kept;
      if (cmd === "resolve_clash") {
        kept = kept.filter((c) => c.id !== args.id);
        return null;
      }
      if (cmd === "sync_calendars") return { calendars: [], written: 1, merged: 0, conflicts: [], failed: [], waiting: 0, requests: 1 };
      throw { code: "not_found", message: cmd };
    });
    let changed = 0;
    render(Clashes, { executive: "dana", onchanged: () => changed++, onclose: () => undefined });
    expect((await screen.findByText("Carpool (Sam drives)")).closest("li")?.textContent).toContain("Carpool (Dana drives) here");
    const dialog = screen.getByRole("dialog", { name: "Clashes kept" });
    await fireEvent.keyDown(dialog, { key: "j" });
    expect(document.querySelector("li.selected")?.textContent).toContain("Budget (moved by Li)");
    await fireEvent.keyDown(dialog, { key: "o" });
    await waitFor(() => expect(screen.queryByText("Budget (moved by Li)")).toBeNull());
    expect(calls.find((c) => c.cmd === "resolve_clash")?.args).toMatchObject({ executive: "dana", id: 2, keep: "mine" });
    expect(calls.some((c) => c.cmd === "sync_calendars")).toBe(true);
    expect(document.querySelector("li.selected")?.textContent).toContain("Carpool (Sam drives)");
    await fireEvent.keyDown(dialog, { key: "s" });
    expect(await screen.findByText(/No clashes/)).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "resolve_clash").at(-1)?.args).toMatchObject({ id: 1, keep: "theirs" });
    expect(changed).toBe(2);
  });
});
