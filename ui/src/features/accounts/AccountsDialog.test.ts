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
  it("lists a CalDAV account's server calendars, adds one it does not have (fetched at once), and removes one gone from the server", async () => {
    let family: string | null = null;
    let tripsGone = true;
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      switch (cmd) {
        case "accounts":
          return [account];
        case "server_calendars":
          return [
            { name: "Work", url: "https://dav.example.com/dana/work/", color: "#1f5fbf", writable: true, mirrored_as: "Work (dav.example.com)", calendar_id: 11, on_server: true },
            { name: "Family", url: "https://dav.example.com/dana/family/", color: null, writable: true, mirrored_as: family, calendar_id: family ? 12 : null, on_server: true },
            ...(tripsGone ? [{ name: "Trips", url: "https://dav.example.com/dana/trips/", color: "#c2762f", writable: true, mirrored_as: "Trips", calendar_id: 13, on_server: false }] : []),
          ];
        case "mirror_calendar":
          family = "Family";
          return { calendar_id: 12, name: "Family", url: "https://dav.example.com/dana/family/", color: "#2f7d6d", writable: true };
        case "remove_mirrored_calendar":
          tripsGone = false;
          return "Trips";
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
    // A calendar deleted on the server: said so, and taken out of Tandem on request.
    expect(list.textContent).toContain("gone from the server");
    await fireEvent.click(screen.getByRole("button", { name: "Remove Trips from Tandem" }));
    expect(await screen.findByText("Removed Trips from Tandem; it was gone from the server.")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "remove_mirrored_calendar")?.args).toMatchObject({ executive: "dana", calendar: 13 });
    await waitFor(() => expect(list.textContent).not.toContain("gone from the server"));
    expect(reloaded).toBe(2);
  });
});
