import { describe, expect, it } from "vitest";
import type { AccountDto, SyncStatusDto } from "../../ipc";
import { clashedParts, connection, defaultPort, waitingLabel } from "./accounts";

describe("defaultPort", () => {
  it("is the standard port for each kind and security", () => {
    expect([defaultPort("imap", "tls"), defaultPort("imap", "starttls"), defaultPort("smtp", "tls"), defaultPort("smtp", "starttls")]).toEqual([993, 143, 465, 587]);
  });

  it("is HTTPS's for CalDAV, whose address carries its own", () => {
    expect(defaultPort("caldav", "tls")).toBe(443);
  });
});

const account = (host: string, error: string | null): AccountDto => ({
  id: 1, kind: "caldav", host, port: 443, security: "https", username: "dana", ca_file: null, folders: [], url: `https://${host}/`, synced_at: null, last_error: error,
});
const status = (failing: AccountDto[], waiting = 0): SyncStatusDto => ({ waiting, waiting_since: waiting ? "2026-11-24T14:05:00Z" : null, clashes: 0, failing });

describe("connection", () => {
  it("says offline when the laptop is, whatever the last sync said", () => {
    expect(connection(false, status([account("cal.example", "cannot connect")])).tone).toBe("offline");
  });

  it("names the server whose last sync failed, though the laptop is online, with why in the tooltip", () => {
    const c = connection(true, status([account("cal.example", "cannot connect to cal.example"), account("cal.example", "401")]));
    expect(c).toMatchObject({ label: "Can't sync cal.example", tone: "failing" });
    expect(c.title).toContain("dana at cal.example: cannot connect to cal.example");
  });

  it("counts several failing servers, and is online when none fail", () => {
    expect(connection(true, status([account("a.example", "x"), account("b.example", "y")])).label).toBe("2 servers failing");
    expect(connection(true, status([])).label).toBe("Online");
    expect(connection(true, null).tone).toBe("ok");
  });
});

describe("waitingLabel", () => {
  it("is nothing when nothing waits, else the count with the oldest's time", () => {
    expect(waitingLabel(status([]), (t) => t)).toBeNull();
    const w = waitingLabel(status([], 3), (t) => t.slice(11, 16));
    expect(w?.label).toBe("3 waiting");
    expect(w?.title).toContain("3 changes made here waiting to leave (the oldest since 14:05)");
  });
});

describe("clashedParts", () => {
  it("names what both sides changed in the EP's words, once each, in a list", () => {
    expect(clashedParts(["summary"])).toBe("the title");
    expect(clashedParts(["summary", "location", "start", "end"])).toBe("the title, the place, the start and the end");
    expect(clashedParts(["x_custom_thing"])).toBe("the x custom thing");
    expect(clashedParts([])).toBe("");
  });
});
