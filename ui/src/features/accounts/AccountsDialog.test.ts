// The accounts dialog against a fake backend: a CalDAV account's server calendars listed, one
// the server gained since added, and fetched at once.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Accounts from "./Accounts.svelte";

afterEach(() => {
  cleanup();
  clearMocks();
});

const account = { id: 4, kind: "caldav", host: "dav.example.com", port: 443, security: "https", username: "dana", ca_file: null, folders: [], url: "https://dav.example.com/", synced_at: null, last_error: null };

describe("the accounts dialog", () => {
  it("lists a CalDAV account's server calendars and adds one it does not have, fetching it at once", async () => {
    let family: string | null = null;
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      switch (cmd) {
        case "accounts":
          return [account];
        case "server_calendars":
          return [
            { name: "Work", url: "https://dav.example.com/dana/work/", color: "#1f5fbf", writable: true, mirrored_as: "Work (dav.example.com)" },
            { name: "Family", url: "https://dav.example.com/dana/family/", color: null, writable: true, mirrored_as: family },
          ];
        case "mirror_calendar":
          family = "Family";
          return { calendar_id: 12, name: "Family", url: "https://dav.example.com/dana/family/", color: "#2f7d6d", writable: true };
        case "sync_calendars":
          return { calendars: [{ account_id: 4, calendar_id: 12, name: "Family", fetched: 3, removed: 0, invitations: 0, requests: 2, problems: [], error: null }], written: 0, merged: 0, conflicts: [], failed: [], waiting: 0, requests: 2 };
        default:
          throw { code: "not_found", message: cmd };
      }
    });
    let reloaded = 0;
    render(Accounts, { executive: "dana", onsynced: () => undefined, oncalendars: () => reloaded++, onclose: () => undefined });
    await fireEvent.click(await screen.findByRole("button", { name: "Calendars of dana at dav.example.com" }));
    const list = await screen.findByRole("region", { name: "Calendars on dav.example.com" });
    expect(list.textContent).toContain("in Tandem as Work (dav.example.com)");
    await fireEvent.click(screen.getByRole("button", { name: "Add Family" }));
    expect(await screen.findByText("Added Family: 3 fetched.")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "mirror_calendar")?.args).toMatchObject({ executive: "dana", account: 4, name: "Family" });
    await waitFor(() => expect(list.textContent).toContain("in Tandem as Family"));
    expect(screen.queryByRole("button", { name: "Add Family" })).toBeNull();
    expect(reloaded).toBe(1);
  });
});
