// The EP window against a fake backend (Tauri's mockIPC): what the EP sees in each state, and
// that the keyboard asks the backend for the right things.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import App from "./App.svelte";
import type { AgendaItem, CalendarRange, DecisionDto, InboxPage, InvitationDto, InvitationQueue, RulesDocument, SessionDto } from "./ipc";

const session: SessionDto = {
  now: "2026-11-24T14:00:00Z",
  executives: [
    { id: "dana", name: "Dana Okafor", title: "CEO", home_time_zone: "America/New_York" },
    { id: "marcus", name: "Marcus Bell", title: null, home_time_zone: "America/New_York" },
  ],
};

function item(summary: string, start: string, end: string, conflict = false): AgendaItem {
  return {
    uid: summary,
    recurrence_id: null,
    summary,
    start,
    end,
    all_day: false,
    calendars: ["Work"],
    color: "#2f6fde",
    location: null,
    status: "confirmed",
    free: false,
    recurring: false,
    organizer: null,
    own: false,
    attendee_count: 2,
    response: "accepted",
    conflict,
    conflicts_with: conflict ? ["another meeting"] : [],
    view_start: start.slice(0, 16),
    view_end: end.slice(0, 16),
  };
}

function range(from: string, days: number): CalendarRange {
  return {
    executive_id: "dana",
    zone: "America/New_York",
    from,
    days,
    calendars: [
      { id: 1, name: "Work", color: "#2f6fde", visible: true, feed: null, holds_meetings: true },
      {
        id: 2,
        name: "Team offsites",
        color: "#7a5cc2",
        visible: true,
        feed: { source: "https://cal.example/…", fetched_at: "2026-11-24T12:00:00Z", error: "cannot reach cal.example: timed out", next_at: "2026-11-24T14:05:00Z" },
        holds_meetings: false,
      },
    ],
    items: [
      item("1:1 Priya / Dana", "2026-11-24T14:00", "2026-11-24T14:45", true),
      item("Audit committee prep", "2026-11-24T14:30", "2026-11-24T15:30", true),
    ],
    problems: [],
    places: [
      { date: "2026-11-23", zone: "America/New_York", other_zone: null, other_hours: [], place: null, reason: "home" },
      {
        date: "2026-11-26",
        zone: "Europe/London",
        other_zone: "America/New_York",
        other_hours: Array.from({ length: 24 }, (_, h) => `${String((h + 19) % 24).padStart(2, "0")}:00`),
        place: null,
        reason: "Flight BA 178 lands 07:35",
      },
    ],
  };
}

const inbox: InboxPage = {
  total: 1,
  offset: 0,
  lane: null,
  lanes: [
    { lane: "needs_executive", count: 1 },
    { lane: "untriaged", count: 0 },
    { lane: "ep_handles", count: 0 },
    { lane: "waiting_on_others", count: 0 },
    { lane: "fyi", count: 0 },
    { lane: "noise", count: 0 },
  ],
  items: [
    {
      id: 1,
      thread_key: "t",
      from_name: "Eleanor Vance",
      from_address: "eleanor@vanceholdings.example",
      subject: "Board pack",
      snippet: "Attached is the draft",
      date: "2026-11-24T12:00:00Z",
      lane: "needs_executive",
      groups: ["board", "vip"],
      vip: true,
      important: true,
      invitation: false,
      seen: false,
      lane_reason: "from Eleanor Vance, in the board group",
      lane_by: "heuristic",
      flagged: false,
      answered: false,
      archived: false,
      snoozed_until: null,
      follow_up_at: null,
      event_uid: null,
      attachments: ["Q4 board pack.pdf"],
    },
  ],
};

function decision(id: number, action: string, reason: string, rule: string | null): DecisionDto {
  return {
    id, invitation_id: id, uid: `${id}@x`, summary: "", action, rule, decider: rule ? "rule" : "no_rule", reason, decided_at: session.now,
    message: null, delegate_to: null, proposed_start: null, proposed_end: null, tier: null, undone_at: null, undoable: action !== "hold_for_review",
    outbox: action === "hold_for_review" ? [] : [{ id: 9, kind: "imip", state: "queued", summary: "Declined: Team drinks to Olivia Chen", recipients: ["olivia@northwind.example"], created_at: session.now, send_after: "2026-11-24T14:15:00Z", sent_at: null, attempts: 0, last_error: null, decision_id: id }],
  };
}

function invitation(id: number, summary: string, state: string, d: DecisionDto | null): InvitationDto {
  return {
    id, uid: `${id}@x`, recurrence_id: null, summary, start: "2026-12-04T17:30:00-05:00", end: null, view_start: "2026-12-04T17:30",
    organizer: "Olivia Chen", organizer_address: "olivia@northwind.example", location: null, recurring: false, attendee_count: 5,
    source: "mail", received_at: session.now, state, decision: d,
  };
}

const queue: InvitationQueue = {
  held: [invitation(1, "Fabrikam: pilot scope", "held", decision(1, "hold_for_review", "Held for review: clashing with 'Board meeting' (P0) on Tue 1 Dec 09:00 (rule 'Clashes come to Sam')", "Clashes come to Sam"))],
  pending: [],
  decided: [invitation(2, "Team drinks", "decided", decision(2, "decline", "Declined: Friday after 13:00 is protected (rule 'Protect Friday afternoons')", "Protect Friday afternoons"))],
  answered: [],
};

const rulesDoc: RulesDocument = {
  executive_id: "dana",
  toml: "[[rule]]\nname = \"Protect Friday afternoons\"\naction = \"decline\"\n",
  saved: true,
  groups: ["board", "vip", "internal", "external"],
  rules: [{ name: "Protect Friday afternoons", enabled: true, action: "decline", reason: null, message: null, delegate_to: null, tier: null, when: { weekdays: ["fri"], time: "13:00-24:00" }, unless: { organizer: ["vip"] } }],
};

const moveOf = (summary: string, from: string, to: string, action: string) => ({
  uid: summary, recurrence_id: null, summary, tier: "P2", own: action === "move", action,
  from: `${from}:00Z`, to: `${to}:00Z`, view_from: `${from}:00`, view_to: `${to}:00`,
  reason: `Move '${summary}' from ${from} to ${to}: because`,
});

function plan(from: string, days: number) {
  return {
    executive_id: "dana", zone: "America/New_York", from, days, clashes: 1, objective: 194, status_quo_objective: 0,
    optimal: true, steps: 40, fixed_clashes: [],
    proposals: [{
      id: "p1",
      resolves: ["'1:1 Priya / Dana' (P2, Tue 24 Nov 14:00) and 'Audit committee prep' (P2, Tue 24 Nov 14:30) overlap"],
      moves: [moveOf("1:1 Priya / Dana", "2026-11-24T14:00", "2026-11-24T13:35", "move")],
      alternatives: [{ moves: [moveOf("Audit committee prep", "2026-11-24T14:30", "2026-11-24T16:00", "counter")], extra_cost: 50 }],
    }],
  };
}

type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

function backend(overrides: Record<string, Handler> = {}) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    if (overrides[cmd]) return overrides[cmd](cmd, args);
    switch (cmd) {
      case "session":
        return session;
      case "calendar_range":
        return range(args.from as string, args.days as number);
      case "inbox":
        return inbox;
      case "invitation_queue":
        return queue;
      case "conflicts":
        return {
          executive_id: "dana", zone: "America/New_York", from: args.from, days: args.days,
          conflicts: [{
            kind: "overlap", severity: "high", date: "2026-11-24",
            reason: "'1:1 Priya / Dana' (P2, 14:00–14:45) and 'Audit committee prep' (P2, 14:30–15:30) overlap by 15 min",
            meetings: [
              { uid: "1:1 Priya / Dana", recurrence_id: null, summary: "1:1 Priya / Dana", view_start: "2026-11-24T14:00", view_end: "2026-11-24T14:45", tier: "P2", own: true },
              { uid: "Audit committee prep", recurrence_id: null, summary: "Audit committee prep", view_start: "2026-11-24T14:30", view_end: "2026-11-24T15:30", tier: "P2", own: false },
            ],
          }],
        };
      case "schedule":
        return plan(args.from as string, args.days as number);
      case "approve_moves":
        return { id: 7, created_at: session.now, summary: ["moved"], outbox: [11, 12], undone: false, can_undo: true };
      case "undo_approval":
        return { id: 7, created_at: session.now, summary: ["moved"], outbox: [11, 12], undone: true, can_undo: false };
      default:
        throw { code: "not_found", message: `no ${cmd}` };
    }
  }, { shouldMockEvents: true });
  return calls;
}

afterEach(() => {
  // Unmount first: the window stops listening to backend events while the mocks still exist.
  cleanup();
  clearMocks();
});

describe("the EP window", () => {
  it("says why when the store cannot be opened", async () => {
    backend({
      session: () => {
        throw { code: "newer_store", message: "the store was written by a newer Tandem" };
      },
    });
    render(App);
    expect(await screen.findByText("Tandem cannot open its store")).toBeTruthy();
    expect(screen.getByText("the store was written by a newer Tandem")).toBeTruthy();
  });

  it("offers the demo executive when there is no executive yet", async () => {
    backend({ session: () => ({ ...session, executives: [] }) });
    render(App);
    expect(await screen.findByRole("button", { name: "Load the demo executive" })).toBeTruthy();
  });

  it("opens on the executive's week in their zone and marks conflicts in words", async () => {
    const calls = backend();
    render(App);
    expect(await screen.findByText("Week of Mon 23 Nov")).toBeTruthy();
    await waitFor(() => expect(screen.getAllByRole("button", { name: /conflict/ }).filter((b) => !b.classList.contains("pill"))).toHaveLength(2));
    expect(screen.getByText("2 in conflict")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "calendar_range")?.args).toMatchObject({ executive: "dana", from: "2026-11-23", days: 7 });
    // jsdom lays nothing out, so the virtual list shows no rows here; the e2e test sees them.
    expect(await screen.findByRole("tab", { name: /All 1/ })).toBeTruthy();
  });

  it("marks a travel day with where the executive is and the zone they left", async () => {
    backend();
    render(App);
    const badge = await screen.findByTitle(/In Europe\/London, also America\/New_York: Flight BA 178 lands 07:35/);
    expect(badge.textContent).toBe("London · New York");
    // Home days carry no badge.
    expect(document.querySelector('[data-travel="2026-11-23"]')).toBeNull();
  });

  it("shows a travel day in the day's own zone with the other zone's hours beside it", async () => {
    backend();
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    expect((await screen.findByTitle("Each day is shown in the zone the executive is in that day")).textContent).toBe("Local");
    expect(screen.queryByTestId("second-zone-hours")).toBeNull();
    await fireEvent.keyDown(window, { key: "d", code: "KeyD" });
    await screen.findByText("Tue 24 Nov", { selector: "h1" });
    expect((await screen.findByTitle("Times are shown in America/New_York")).textContent).toBe("New York");
    expect(screen.queryByTestId("second-zone-hours")).toBeNull();
    await fireEvent.keyDown(window, { key: "l", code: "KeyL" });
    await fireEvent.keyDown(window, { key: "l", code: "KeyL" });
    await screen.findByText("Thu 26 Nov", { selector: "h1" });
    expect((await screen.findByTitle("Times are shown in Europe/London")).textContent).toBe("London");
    expect(screen.getByTitle("The same hours in America/New_York").textContent).toBe("New York");
    const second = screen.getByTestId("second-zone-hours");
    expect(second.children[9].textContent).toBe("04:00");
  });

  it("hides a calendar and sets its colour through the backend, then reloads the view", async () => {
    const calls = backend({ update_calendar: (_c, a) => ({ id: a.id, name: "Work", color: a.color, visible: a.visible, feed: null }) });
    render(App);
    const show = await screen.findByRole("checkbox", { name: "Work" });
    const loads = () => calls.filter((c) => c.cmd === "calendar_range").length;
    const before = loads();
    await fireEvent.click(show);
    await waitFor(() => expect(calls.find((c) => c.cmd === "update_calendar")?.args).toMatchObject({ id: 1, color: "#2f6fde", visible: false }));
    await waitFor(() => expect(loads()).toBe(before + 1));
    await fireEvent.change(screen.getByLabelText("Colour of Work"), { target: { value: "#aa0000" } });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "update_calendar").at(-1)?.args).toMatchObject({ color: "#aa0000" }));
  });

  it("imports picked .ics files and says what each did", async () => {
    const calls = backend({
      import_ics_text: (_c, a) => ({ files: [{ source: a.fileName, calendar: "offsites", events: 3, invitations: 0, changes: [], problems: ["offsites.ics: line 9 (VEVENT uid=x): DTSTART: 'nope' is not a date"], error: null }], decided: [], rules_error: null }),
    });
    render(App);
    const picker = (await screen.findByTestId("ics-picker")) as HTMLInputElement;
    const file = new File(["BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"], "offsites.ics", { type: "text/calendar" });
    await fireEvent.change(picker, { target: { files: [file] } });
    expect(await screen.findByText(/offsites.ics: 3 events into offsites, 1 problem \(offsites.ics: line 9/)).toBeTruthy();
    expect(calls.find((c) => c.cmd === "import_ics_text")?.args).toMatchObject({ executive: "dana", fileName: "offsites.ics", text: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" });
  });

  it("imports .ics files dropped on the calendar and ignores other files", async () => {
    const calls = backend({
      import_ics_text: (_c, a) => ({ files: [{ source: a.fileName, calendar: "board", events: 2, invitations: 0, changes: [], problems: [], error: null }], decided: [], rules_error: null }),
    });
    render(App);
    await screen.findByRole("checkbox", { name: "Work" });
    const pane = screen.getByRole("region", { name: "Calendar" });
    const ics = new File(["BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"], "board.ics", { type: "text/calendar" });
    const notes = new File(["hello"], "notes.txt", { type: "text/plain" });
    await fireEvent.drop(pane, { dataTransfer: { files: [ics, notes], types: ["Files"] } });
    expect(await screen.findByText("Imported board.ics: 2 events into board")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "import_ics_text").map((c) => c.args.fileName)).toEqual(["board.ics"]);
  });

  it("subscribes to a calendar address from the form and shows the server's refusal in it", async () => {
    let refuse = true;
    const calls = backend({
      subscribe_calendar: (_c, a) => {
        if (refuse) throw { code: "network", message: "cal.example answered HTTP 404" };
        return { id: 3, name: a.name ?? "Holidays", color: "#7a5cc2", visible: true, feed: { source: "https://cal.example/…", fetched_at: session.now, error: null, next_at: session.now } };
      },
    });
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: "Subscribe…" }));
    const address = screen.getByRole("textbox", { name: "Calendar address" });
    expect(document.activeElement).toBe(address);
    await fireEvent.input(address, { target: { value: "webcal://cal.example/holidays.ics" } });
    await fireEvent.submit(screen.getByRole("form", { name: "Subscribe to a calendar" }));
    expect((await screen.findByRole("alert")).textContent).toBe("cal.example answered HTTP 404");
    refuse = false;
    const loads = calls.filter((c) => c.cmd === "calendar_range").length;
    await fireEvent.submit(screen.getByRole("form", { name: "Subscribe to a calendar" }));
    expect(await screen.findByText("Subscribed to Holidays (https://cal.example/…).")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "subscribe_calendar")?.args).toMatchObject({ executive: "dana", url: "webcal://cal.example/holidays.ics", name: null });
    expect(screen.queryByRole("form", { name: "Subscribe to a calendar" })).toBeNull();
    await waitFor(() => expect(calls.filter((c) => c.cmd === "calendar_range").length).toBe(loads + 1));
  });

  it("marks a failing feed as stale, refreshes it on request and reloads when the backend refreshed feeds", async () => {
    const calls = backend({
      refresh_calendar: (_c, a) => [{ calendar_id: a.id, source: "https://cal.example/…", changed: true, events: 4, problems: [], error: null }],
    });
    render(App);
    const stale = await screen.findByRole("button", { name: /Refresh Team offsites \(https:\/\/cal.example\/…: updated 2h ago; last try failed: cannot reach cal.example: timed out\)/ });
    expect(stale.textContent).toBe("⚠ stale");
    await fireEvent.click(stale);
    expect(await screen.findByText("Calendar refreshed: 4 events.")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "refresh_calendar")?.args).toMatchObject({ executive: "dana", id: 2 });
    const loads = calls.filter((c) => c.cmd === "calendar_range").length;
    await emit("calendars-changed", []);
    await waitFor(() => expect(calls.filter((c) => c.cmd === "calendar_range").length).toBe(loads + 1));
  });

  it("shows reminders the backend delivers until the EP dismisses them", async () => {
    backend();
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    const reminder = {
      key: "audit|x|1",
      executive_id: "dana",
      executive_name: "Dana Okafor",
      uid: "audit",
      summary: "Audit committee prep",
      location: "Boardroom",
      starts: "2026-11-24T19:30:00Z",
      at: "2026-11-24T19:00:00Z",
      local_start: "14:30",
      zone: "America/New_York",
      minutes_before: 30,
      minutes_until: 30,
      note: "Bring the signed audit letter",
      from_alarm: true,
    };
    await emit("reminder", [reminder]);
    const shown = await screen.findByRole("article", { name: "Reminder: Audit committee prep at 14:30, in 30 min" });
    expect(shown.textContent).toContain("Bring the signed audit letter");
    expect(shown.textContent).toContain("Boardroom");
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss reminder Audit committee prep" }));
    await waitFor(() => expect(screen.queryByRole("article", { name: /Reminder:/ })).toBeNull());
  });

  it("shows the calendar's error without losing the inbox", async () => {
    backend({
      calendar_range: () => {
        throw { code: "storage", message: "disk I/O error" };
      },
    });
    render(App);
    expect(await screen.findByText("Could not load the calendar: disk I/O error")).toBeTruthy();
    expect(await screen.findByRole("tab", { name: /All 1/ })).toBeTruthy();
  });

  it("switches to the day view with d and to the next day with l", async () => {
    const calls = backend();
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "d", code: "KeyD" });
    expect(await screen.findByText("Tue 24 Nov", { selector: "h1" })).toBeTruthy();
    await fireEvent.keyDown(window, { key: "l", code: "KeyL" });
    expect(await screen.findByText("Wed 25 Nov", { selector: "h1" })).toBeTruthy();
    const last = calls.filter((c) => c.cmd === "calendar_range").at(-1);
    expect(last?.args).toMatchObject({ from: "2026-11-25", days: 1 });
  });

  it("asks for the other executive's data after a switch from the palette", async () => {
    const calls = backend();
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "k", code: "KeyK", ctrlKey: true });
    const input = await screen.findByRole("textbox", { name: "Command" });
    await fireEvent.input(input, { target: { value: "marcus" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(calls.some((c) => c.cmd === "inbox" && c.args.executive === "marcus")).toBe(true));
  });

  it("archives the selected message with e, opens it sandboxed, and undoes the archive with Ctrl+Z", async () => {
    const calls = backend({
      read_message: () => ({
        item: inbox.items[0], to: ["Dana Okafor <dana@northwind.example>"], cc: [], text: "Attached is the draft",
        html_document: "<!DOCTYPE html><html><body><p>Attached is the draft</p></body></html>", blocked_remote: 2, remote_allowed: false, thread: [],
      }),
      act_on_mail: (_c, a) => ({ id: 4, summary: "Archived 1 message", messages: (a.ids as number[]).length, rule: null }),
      undo_mail_action: () => ({ id: 4, summary: "Undid: Archived 1 message", messages: 1, rule: null }),
    });
    render(App);
    await screen.findByRole("tab", { name: /All 1/ });
    await fireEvent.keyDown(window, { key: "2", code: "Digit2" });
    await fireEvent.keyDown(window, { key: "j", code: "KeyJ" });
    const frame = (await screen.findByTitle("Message body")) as HTMLIFrameElement;
    expect(frame.getAttribute("sandbox")).toBe("");
    expect(frame.getAttribute("srcdoc")).toContain("Attached is the draft");
    expect(screen.getByText(/2 remote images held back/)).toBeTruthy();
    expect(screen.getByText(/from Eleanor Vance, in the board group/)).toBeTruthy();
    await fireEvent.keyDown(window, { key: "e", code: "KeyE" });
    await waitFor(() => expect(calls.find((c) => c.cmd === "act_on_mail")?.args).toMatchObject({ executive: "dana", ids: [1], action: { kind: "archive" } }));
    expect(await screen.findByText("Archived 1 message")).toBeTruthy();
    await fireEvent.keyDown(window, { key: "z", code: "KeyZ", ctrlKey: true });
    await waitFor(() => expect(calls.find((c) => c.cmd === "undo_mail_action")?.args).toMatchObject({ id: 4 }));
  });

  it("replies to the selected message from a template with r, sends with Ctrl+Enter and undoes the send", async () => {
    const draft = {
      kind: "reply", message_id: 1, from: "Dana Okafor <dana@northwind.example>", sender: "Sam Rivera <sam@northwind.example>",
      to: ["Eleanor Vance <eleanor@vanceholdings.example>"], cc: [], subject: "Re: Board pack", body: "Hi Eleanor,\n\nThanks.\n", follow_up_days: null, attachments: [] as string[],
    };
    const calls = backend({
      read_message: () => ({ item: inbox.items[0], to: [], cc: [], text: "x", html_document: null, blocked_remote: 0, remote_allowed: false, thread: [] }),
      templates: () => ({ executive_id: "dana", toml: "", saved: false, variables: [], templates: [{ name: "Acknowledge", used_for: "reply", subject: null, body: "" }] }),
      draft_mail: (_c, a) => ({ ...draft, body: (a.request as { template?: string }).template ? "Hi Eleanor,\n\nThank you.\n" : draft.body }),
      send_draft: () => ({ action_id: 9, outbox_id: 31, summary: "Reply to Eleanor Vance: Re: Board pack", send_after: "2026-11-24T14:01:00Z" }),
      undo_mail_action: () => ({ id: 9, summary: "Undid", messages: 1, rule: null }),
    });
    render(App);
    await screen.findByRole("tab", { name: /All 1/ });
    await fireEvent.keyDown(window, { key: "2", code: "Digit2" });
    await fireEvent.keyDown(window, { key: "j", code: "KeyJ" });
    await screen.findByTitle("Message body").catch(() => undefined);
    await fireEvent.keyDown(window, { key: "r", code: "KeyR" });
    const dialog = await screen.findByRole("dialog", { name: "Reply" });
    expect(await screen.findByText("From Dana Okafor <dana@northwind.example>, sent by Sam Rivera <sam@northwind.example>")).toBeTruthy();
    await fireEvent.change(screen.getByLabelText("Template"), { target: { value: "Acknowledge" } });
    await waitFor(() => expect((screen.getByLabelText("Message") as HTMLTextAreaElement).value).toContain("Thank you."), { timeout: 2000 });
    expect(calls.filter((c) => c.cmd === "draft_mail").at(-1)?.args).toMatchObject({ executive: "dana", request: { message_id: 1, kind: "reply", template: "Acknowledge" } });
    await fireEvent.keyDown(dialog, { key: "Enter", ctrlKey: true });
    await waitFor(() => expect(calls.find((c) => c.cmd === "send_draft")?.args).toMatchObject({ draft: { subject: "Re: Board pack", body: "Hi Eleanor,\n\nThank you.\n" } }));
    expect(await screen.findByText("Reply to Eleanor Vance: Re: Board pack (leaves in a minute)")).toBeTruthy();
    expect(screen.queryByRole("dialog", { name: "Reply" })).toBeNull();
    await fireEvent.keyDown(window, { key: "z", code: "KeyZ", ctrlKey: true });
    await waitFor(() => expect(calls.find((c) => c.cmd === "undo_mail_action")?.args).toMatchObject({ id: 9 }));
  });

  it("searches once per query and opens the first result", async () => {
    const calls = backend({
      search_mail: () => ({ query: "pack", items: inbox.items }),
      read_message: () => ({ item: inbox.items[0], to: [], cc: [], text: "x", html_document: null, blocked_remote: 0, remote_allowed: false, thread: [] }),
    });
    render(App);
    await screen.findByRole("tab", { name: /All 1/ });
    await fireEvent.keyDown(window, { key: "/", code: "Slash" });
    const box = screen.getByRole("searchbox", { name: "Search mail" });
    await fireEvent.input(box, { target: { value: "pack" } });
    await fireEvent.submit(box.closest("form")!);
    await waitFor(() => expect(calls.find((c) => c.cmd === "read_message")?.args).toMatchObject({ id: 1 }));
    // One search: the list's reload does not race a second one (which left the focus behind).
    expect(calls.filter((c) => c.cmd === "search_mail")).toHaveLength(1);
    // The results have the focus, so a message key works at once.
    await waitFor(() => expect(document.activeElement?.getAttribute("role")).toBe("listbox"));
    expect(screen.getByText(/Search “pack”: 1 found/)).toBeTruthy();
  });

  it("edits the mail templates from the palette and shows a refusal that names the template", async () => {
    const doc = { executive_id: "dana", toml: "[[template]]\nname = \"Ack\"\nbody = \"Hi {sender.first}\"\n", saved: false, templates: [], variables: [["sender.first", "their first name"]] };
    const calls = backend({
      templates: () => doc,
      save_templates: (_c, a) => {
        if ((a.toml as string).includes("{sendr")) throw { code: "invalid_rules", message: "rule 1 'Ack': `body`: unknown variable {sendr.first}" };
        return { ...doc, saved: true, toml: a.toml, templates: [{ name: "Ack", used_for: "reply", subject: null, body: "" }] };
      },
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "k", code: "KeyK", ctrlKey: true });
    const input = await screen.findByRole("textbox", { name: "Command" });
    await fireEvent.input(input, { target: { value: "mail templates" } });
    await fireEvent.keyDown(input, { key: "Enter" });
    const box = (await screen.findByLabelText("Templates document (TOML)")) as HTMLTextAreaElement;
    expect(box.value).toContain("Hi {sender.first}");
    await fireEvent.input(box, { target: { value: box.value.replace("{sender", "{sendr") } });
    await fireEvent.keyDown(box, { key: "s", ctrlKey: true });
    expect((await screen.findByRole("alert")).textContent).toContain("rule 1 'Ack': `body`: unknown variable {sendr.first}");
    await fireEvent.input(box, { target: { value: doc.toml } });
    await fireEvent.keyDown(box, { key: "s", ctrlKey: true });
    expect(await screen.findByText("Saved 1 template.")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "save_templates")).toHaveLength(2);
  });

  it("snoozes from a menu of times on the executive's clock", async () => {
    const calls = backend({
      read_message: () => ({ item: inbox.items[0], to: [], cc: [], text: "x", html_document: null, blocked_remote: 0, remote_allowed: false, thread: [] }),
      act_on_mail: () => ({ id: 5, summary: "Snoozed 1 message until Wed 25 Nov 08:00", messages: 1, rule: null }),
    });
    render(App);
    await screen.findByRole("tab", { name: /All 1/ });
    await fireEvent.keyDown(window, { key: "2", code: "Digit2" });
    await fireEvent.keyDown(window, { key: "j", code: "KeyJ" });
    await fireEvent.keyDown(window, { key: "z", code: "KeyZ" });
    const menu = await screen.findByRole("dialog", { name: "Snooze until" });
    await fireEvent.keyDown(menu, { key: "2" });
    await waitFor(() => expect(calls.find((c) => c.cmd === "act_on_mail")?.args).toMatchObject({ action: { kind: "snooze", until: "2026-11-25T08:00" } }));
  });

  it("answers the invitation held for review with a single key, and undoes the answer with Ctrl+Z", async () => {
    const calls = backend({
      answer_invitation: (_c, a) => ({ ...decision(1, "accept", "Accepted by the EP", null), decider: "person", summary: "Fabrikam: pilot scope", invitation_id: a.id }),
      undo_decision: (_c, a) => ({ ...decision(a.id as number, "accept", "Accepted by the EP", null), undone_at: session.now, undoable: false }),
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    expect(await screen.findByRole("button", { name: /1 to answer/ })).toBeTruthy();
    await fireEvent.keyDown(window, { key: "3", code: "Digit3" });
    const queueList = await screen.findByRole("listbox", { name: "Invitations, 2" });
    expect(queueList.textContent).toContain("Held for review");
    // The reason is beside every decision.
    expect(queueList.textContent).toContain("Declined: Friday after 13:00 is protected (rule 'Protect Friday afternoons')");
    expect(queueList.textContent).toContain("waiting in the outbox");
    const detail = await screen.findByRole("region", { name: "Invitation details" });
    expect(detail.textContent).toContain("clashing with 'Board meeting' (P0)");
    await fireEvent.keyDown(window, { key: "a", code: "KeyA" });
    await waitFor(() => expect(calls.find((c) => c.cmd === "answer_invitation")?.args).toMatchObject({ executive: "dana", id: 1, answer: { action: "accept", message: null } }));
    expect(await screen.findByText(/Accepted “Fabrikam: pilot scope”: Accepted by the EP/)).toBeTruthy();
    await fireEvent.keyDown(window, { key: "z", code: "KeyZ", ctrlKey: true });
    await waitFor(() => expect(calls.find((c) => c.cmd === "undo_decision")?.args).toMatchObject({ executive: "dana", id: 1 }));
    expect(await screen.findByText(/is back for your review; nothing was sent/)).toBeTruthy();
  });

  it("delegates to the address typed after g and sends the note with the reply", async () => {
    const calls = backend({ answer_invitation: () => decision(1, "delegate", "Delegated to lee@northwind.example by the EP", null) });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "3", code: "Digit3" });
    await screen.findByRole("region", { name: "Invitation details" });
    await fireEvent.input(screen.getByRole("textbox", { name: "Note with the reply" }), { target: { value: "Lee will cover this" } });
    await fireEvent.keyDown(window, { key: "g", code: "KeyG" });
    const to = screen.getByRole("textbox", { name: "Delegate to" });
    expect(document.activeElement).toBe(to);
    await fireEvent.input(to, { target: { value: "lee@northwind.example" } });
    await fireEvent.keyDown(to, { key: "Enter" });
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "answer_invitation")?.args).toMatchObject({ id: 1, answer: { action: "delegate", to: "lee@northwind.example", message: "Lee will cover this" } }),
    );
  });

  it("edits the rules in a form, dry-runs the draft, shows a refusal naming the rule, and saves", async () => {
    let refuse = true;
    const calls = backend({
      rules_document: () => rulesDoc,
      dry_run: () => ({
        days: 90,
        changed: 1,
        totals: { decline: 1 },
        rows: [{ invitation_id: 2, summary: "Team drinks", organizer: "Olivia Chen", view_start: "2026-12-04T17:30", received_at: session.now, current_action: "hold_for_review", current_reason: "Held for review: no rule matched", action: "decline", rule: "Protect Friday afternoons", reason: "Declined: on a Friday, overlapping 13:00-24:00 (rule 'Protect Friday afternoons')", changed: true }],
      }),
      save_rules: () => {
        if (refuse) throw { code: "invalid_rules", message: "rule 1 'Protect Friday afternoons': `when.time`: '13:00-25:00' is not a time" };
        return rulesDoc;
      },
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "r", code: "KeyR" });
    const dialog = await screen.findByRole("dialog", { name: "Invitation rules" });
    expect((screen.getByLabelText("Name of rule 1") as HTMLInputElement).value).toBe("Protect Friday afternoons");
    expect(dialog.textContent).toContain("unless");
    expect((screen.getByLabelText("Organizer is") as HTMLInputElement).value).toBe("vip");
    await fireEvent.change(screen.getByLabelText("Overlaps the time"), { target: { value: "13:00-25:00" } });
    // The unless part is edited like the when part: removing its last condition removes it.
    await fireEvent.click(screen.getByRole("button", { name: "Remove Organizer is (unless)" }));
    expect(screen.getByRole("button", { name: "+ unless" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Dry run: last 90 days" }));
    const table = await screen.findByRole("region", { name: "Dry run" });
    expect(table.textContent).toContain("1 would change");
    expect(table.textContent).toContain("Declined: on a Friday");
    const sent = calls.find((c) => c.cmd === "dry_run")?.args as { rules: { when: Record<string, unknown>; unless: unknown }[]; toml: unknown };
    expect(sent.toml).toBeNull();
    expect(sent.rules[0].when).toEqual({ weekdays: ["fri"], time: "13:00-25:00" });
    expect(sent.rules[0].unless).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Save rules" }));
    expect((await screen.findByRole("alert")).textContent).toContain("`when.time`: '13:00-25:00' is not a time");
    refuse = false;
    await fireEvent.click(screen.getByRole("button", { name: "Save rules" }));
    expect(await screen.findByText(/Rules saved: 1 rule/)).toBeTruthy();
    expect(screen.queryByRole("dialog", { name: "Invitation rules" })).toBeNull();
  });

  it("creates a meeting from Shift+N, says the invitations wait, and takes it back with Ctrl+Z", async () => {
    const meeting = { uid: "m1@northwind.example", summary: "Budget review", start: "2026-11-24T15:00:00-05:00", end: null, location: null, recurring: false, sequence: 0, status: "confirmed", calendar: "Work", attendees: [{ address: "lee@northwind.example", name: null, status: "needs_action", optional: false }], outbox: [] };
    const calls = backend({
      create_meeting: (_c, a) => {
        if (!(a.draft as { title: string }).title) throw { code: "invalid_input", message: "a meeting needs a title" };
        return meeting;
      },
      cancel_meeting: () => ({ ...meeting, status: "withdrawn" }),
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "N", code: "KeyN", shiftKey: true });
    const dialog = await screen.findByRole("dialog", { name: "New meeting" });
    expect(document.activeElement).toBe(screen.getByLabelText("Title"));
    await fireEvent.click(screen.getByRole("button", { name: "Save and send invitations" }));
    expect((await screen.findByRole("alert")).textContent).toBe("a meeting needs a title");
    await fireEvent.input(screen.getByLabelText("Title"), { target: { value: "Budget review" } });
    await fireEvent.input(screen.getByLabelText("Attendees"), { target: { value: "lee@northwind.example, cfo@northwind.example" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save and send invitations" }));
    expect(await screen.findByText("“Budget review” added; invitations to 1 waiting in the outbox.")).toBeTruthy();
    expect(dialog.isConnected).toBe(false);
    expect(calls.filter((c) => c.cmd === "create_meeting").at(-1)?.args).toMatchObject({
      executive: "dana",
      draft: { title: "Budget review", start: "2026-11-24T10:00", end: "2026-11-24T10:30", attendees: ["lee@northwind.example", "cfo@northwind.example"], rrule: null },
    });
    await fireEvent.keyDown(window, { key: "z", code: "KeyZ", ctrlKey: true });
    expect(await screen.findByText("“Budget review” taken back; nobody was told.")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "cancel_meeting")?.args).toMatchObject({ executive: "dana", uid: "m1@northwind.example" });
  });

  it("puts a new meeting in the calendar picked, offering only calendars that can hold one", async () => {
    const meeting = { uid: "m2@northwind.example", summary: "Offsite planning", start: "2026-11-24T15:00:00-05:00", end: null, location: null, recurring: false, sequence: 0, status: "confirmed", calendar: "Work (fastmail.com)", attendees: [], outbox: [] };
    const calls = backend({
      calendar_range: (_c, a) => {
        const r = range(a.from as string, a.days as number);
        return { ...r, calendars: [...r.calendars, { id: 3, name: "Work (fastmail.com)", color: "#1f5fbf", visible: true, feed: null, holds_meetings: true }] };
      },
      create_meeting: () => meeting,
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "N", code: "KeyN", shiftKey: true });
    const dialog = await screen.findByRole("dialog", { name: "New meeting" });
    const picker = within(dialog).getByLabelText("Calendar") as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toEqual(["Work", "Work (fastmail.com)"]);
    await fireEvent.input(screen.getByLabelText("Title"), { target: { value: "Offsite planning" } });
    await fireEvent.change(picker, { target: { value: "Work (fastmail.com)" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save and send invitations" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "create_meeting")).toBe(true));
    expect(calls.find((c) => c.cmd === "create_meeting")?.args).toMatchObject({ draft: { title: "Offsite planning", calendar: "Work (fastmail.com)" } });
  });

  it("names a server out of reach while the laptop is online, counts what waits, opens the outbox from it, and sends what waits when the network is back", async () => {
    let status = { waiting: 0, waiting_since: null as string | null, clashes: 0, failing: [] as unknown[] };
    const calls = backend({
      sync_status: () => status,
      sync_calendars: () => ({ calendars: [], written: 1, merged: 0, conflicts: [], failed: [], waiting: 1, requests: 2 }),
      sync_mail: () => ({ accounts: [], triaged: 0, problems: [] }),
      outbox: () => [],
      decisions: () => [],
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await waitFor(() => expect(document.querySelector(".pill.link")?.textContent).toBe("Online"));
    status = {
      waiting: 2,
      waiting_since: "2026-11-24T14:05:00Z",
      clashes: 1,
      failing: [{ id: 4, kind: "caldav", host: "caldav.fastmail.com", port: 443, security: "https", username: "dana", ca_file: null, folders: [], url: "https://caldav.fastmail.com/", synced_at: null, last_error: "cannot connect to caldav.fastmail.com" }],
    };
    // A sync (here the backend's minutely one) is followed by a fresh read of the status.
    await emit("calendars-synced", ["dana", { calendars: [], written: 0, merged: 0, conflicts: [], failed: [], waiting: 2, requests: 0 }]);
    const link = await screen.findByRole("button", { name: "Can't sync caldav.fastmail.com" });
    expect(link.getAttribute("title")).toContain("dana at caldav.fastmail.com: cannot connect to caldav.fastmail.com");
    const waiting = screen.getByRole("button", { name: "2 waiting" });
    expect(waiting.getAttribute("title")).toContain("the oldest since 09:05");
    expect(screen.getByRole("button", { name: "1 clash kept" })).toBeTruthy();
    await fireEvent.click(waiting);
    expect((await screen.findByRole("button", { name: /^Outbox/ })).getAttribute("aria-pressed")).toBe("true");
    // The network comes back: what waited is sent at once, calendars and mail.
    window.dispatchEvent(new Event("online"));
    await waitFor(() => expect(calls.filter((c) => c.cmd === "sync_calendars" || c.cmd === "sync_mail").map((c) => c.cmd).sort()).toEqual(["sync_calendars", "sync_mail"]));
  });

  it("finds a time for a new meeting and takes the chosen slot into the form", async () => {
    const calls = backend({
      find_time: () => ({
        executive_id: "dana", minutes: 45, known: ["marcus.bell@northwind.example"],
        slots: [
          { start: "2026-11-25T18:00:00Z", end: "2026-11-25T18:45:00Z", view_start: "2026-11-25T13:00:00", view_end: "2026-11-25T13:45:00", cost: 0, reason: "Wed 25 Nov 13:00: everyone required is free then, within working hours" },
          { start: "2026-11-26T14:00:00Z", end: "2026-11-26T14:45:00Z", view_start: "2026-11-26T14:00:00", view_end: "2026-11-26T14:45:00", cost: 50, reason: "Thu 26 Nov 14:00: everyone required is free then, within working hours; it takes lunch" },
        ],
      }),
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "N", code: "KeyN", shiftKey: true });
    await screen.findByRole("dialog", { name: "New meeting" });
    await fireEvent.input(screen.getByLabelText("Attendees"), { target: { value: "marcus.bell@northwind.example" } });
    await fireEvent.input(screen.getByLabelText("To"), { target: { value: "10:45" } });
    await fireEvent.click(screen.getByRole("button", { name: "Find a time" }));
    const list = await screen.findByRole("list", { name: "Suggested times" });
    expect(calls.find((c) => c.cmd === "find_time")?.args).toMatchObject({ executive: "dana", attendees: ["marcus.bell@northwind.example"], minutes: 45, from: "2026-11-24", days: 5 });
    expect(list.textContent).toContain("it takes lunch");
    await fireEvent.click(screen.getByRole("button", { name: /Wed 25 Nov 13:00/ }));
    expect((screen.getByLabelText("Date") as HTMLInputElement).value).toBe("2026-11-25");
    expect((screen.getByLabelText("From") as HTMLInputElement).value).toBe("13:00");
    expect((screen.getByLabelText("To") as HTMLInputElement).value).toBe("13:45");
  });

  it("reads and filters the decision log and undoes a decision from it", async () => {
    const decided = { ...decision(2, "decline", "Declined: Friday after 13:00 is protected (rule 'Protect Friday afternoons')", "Protect Friday afternoons"), summary: "Team drinks" };
    const calls = backend({
      decisions: (_c, a) => (a.text === "nothing" ? [] : [decided]),
      outbox: () => decided.outbox,
      undo_decision: () => ({ ...decided, undone_at: session.now, undoable: false }),
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "L", code: "KeyL", shiftKey: true });
    const table = await screen.findByRole("table", { name: "Decision log" });
    expect(table.textContent).toContain("rule 'Protect Friday afternoons'");
    expect(table.textContent).toContain("waiting in the outbox");
    await fireEvent.input(screen.getByLabelText("Search"), { target: { value: "nothing" } });
    expect(await screen.findByText("No decisions match.")).toBeTruthy();
    expect(calls.filter((c) => c.cmd === "decisions").at(-1)?.args).toMatchObject({ executive: "dana", text: "nothing", action: null });
    await fireEvent.input(screen.getByLabelText("Search"), { target: { value: "" } });
    await fireEvent.click(await screen.findByRole("button", { name: "Undo" }));
    await waitFor(() => expect(calls.find((c) => c.cmd === "undo_decision")?.args).toMatchObject({ id: 2 }));
    await fireEvent.click(screen.getByRole("button", { name: /Outbox/ }));
    expect((await screen.findByRole("table", { name: "Outbox" })).textContent).toContain("Declined: Team drinks to Olivia Chen");
  });

  it("names the EP who sends for the executive in the profile form, and a reminder lead", async () => {
    const fields = {
      id: "dana", name: "Dana Okafor", title: "CEO", addresses: ["dana@northwind.example"], home_time_zone: "America/New_York",
      our_domains: ["northwind.example"], working_hours: { mon: "09:00-17:00" }, focus_blocks: [], buffers: { before_minutes: 0, after_minutes: 0 },
      groups: {}, itinerary: [], reminder_minutes: null, assistant: null, send_as: null,
    };
    const calls = backend({
      profile: () => ({ executive_id: "dana", toml: "id = \"dana\"\n", fields }),
      save_profile_fields: () => session.executives[0],
    });
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "e", code: "KeyE" });
    await screen.findByRole("dialog", { name: "Executive profile" });
    await fireEvent.input(screen.getByLabelText("EP's name"), { target: { value: "Sam Rivera" } });
    await fireEvent.input(screen.getByLabelText("EP's address"), { target: { value: "sam.rivera@northwind.example" } });
    await fireEvent.change(screen.getByLabelText("Send as"), { target: { value: "as_executive" } });
    await fireEvent.input(screen.getByLabelText("Minutes before"), { target: { value: "15" } });
    await fireEvent.keyDown(screen.getByRole("dialog", { name: "Executive profile" }), { key: "Enter", ctrlKey: true });
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "save_profile_fields")?.args).toMatchObject({
        fields: { assistant: { name: "Sam Rivera", address: "sam.rivera@northwind.example" }, send_as: "as_executive", reminder_minutes: 15 },
      }),
    );
  });

  it("lists the conflicts of the days shown with 4, and shows a conflict's meeting in the calendar", async () => {
    const calls = backend();
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "4", code: "Digit4" });
    const list = await screen.findByRole("listbox", { name: "Conflicts, 1" });
    expect(list.textContent).toContain("Double booked");
    expect(list.textContent).toContain("overlap by 15 min");
    expect(calls.find((c) => c.cmd === "conflicts")?.args).toMatchObject({ executive: "dana", from: "2026-11-23", days: 7 });
    await fireEvent.click(screen.getByRole("option", { name: /Double booked/ }));
    const detail = await screen.findByRole("region", { name: "Meeting details" });
    expect(detail.textContent).toContain("1:1 Priya / Dana");
  });

  it("shows the plan's proposals with 5, previews the chosen option on the week, approves it with a and undoes it with u", async () => {
    const calls = backend();
    render(App);
    await screen.findByText("Week of Mon 23 Nov");
    await fireEvent.keyDown(window, { key: "5", code: "Digit5" });
    const list = await screen.findByRole("listbox", { name: "Proposals, 1" });
    expect(list.textContent).toContain("1:1 Priya / Dana");
    expect(calls.find((c) => c.cmd === "schedule")?.args).toMatchObject({ executive: "dana", from: "2026-11-23", days: 7 });
    // The proposal's reason in the details, and its move drawn on the week.
    expect((await screen.findByLabelText("Proposal p1")).textContent).toContain("Move '1:1 Priya / Dana' from 2026-11-24T14:00 to 2026-11-24T13:35: because");
    expect(screen.getByRole("note", { name: "Proposed: 1:1 Priya / Dana at 13:35" })).toBeTruthy();
    expect(screen.getByRole("button", { name: /1:1 Priya \/ Dana.*proposed to move/ })).toBeTruthy();
    // o: the alternative, a counter-proposal for the audit prep instead.
    await fireEvent.keyDown(window, { key: "o", code: "KeyO" });
    expect(await screen.findByRole("note", { name: "Proposed: Audit committee prep at 16:00, a counter-proposal" })).toBeTruthy();
    expect(screen.queryByRole("note", { name: /1:1 Priya/ })).toBeNull();
    await fireEvent.keyDown(window, { key: "a", code: "KeyA" });
    await waitFor(() => expect(calls.find((c) => c.cmd === "approve_moves")).toBeTruthy());
    const approved = calls.find((c) => c.cmd === "approve_moves")!.args as { moves: { summary: string }[] };
    expect(approved.moves.map((m) => m.summary)).toEqual(["Audit committee prep"]);
    expect(await screen.findByText(/Approved: 1 change; 2 messages wait in the outbox/)).toBeTruthy();
    await fireEvent.keyDown(window, { key: "u", code: "KeyU" });
    await waitFor(() => expect(calls.find((c) => c.cmd === "undo_approval")?.args).toMatchObject({ executive: "dana", id: 7 }));
    expect(await screen.findByText(/Approval undone/)).toBeTruthy();
  });
});
