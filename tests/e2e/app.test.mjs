// End-to-end: the real Tandem binary in WebKitGTK, driven through tauri-driver. The app starts
// on an empty data directory at a fixed `now` (Tuesday 24 November 2026, 09:00 in New York),
// loads the demo executive, and we check what the EP sees and can do from the keyboard.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Driver } from "./webdriver.mjs";

const NOW = "2026-11-24T14:00:00Z";
const app = process.env.TANDEM_APP;
const cli = join(app, "..", "tandem");
const dataDir = mkdtempSync(join(tmpdir(), "tandem-e2e-"));
// Where the app's Export writes (it would be ~/Downloads).
const exportDir = mkdtempSync(join(tmpdir(), "tandem-e2e-export-"));
const shots = join(import.meta.dirname, "screenshots");
let d;
// The prep note the EP writes, then looks for in the exports and the briefing window.
const note = "Ask about the Berlin headcount before the all-hands";

/** A picture of the Xvfb screen. WebKit paints a moment after the DOM changes, so wait first. */
async function screenshot(name) {
  mkdirSync(shots, { recursive: true });
  execFileSync("sleep", ["0.8"]);
  execFileSync("import", ["-window", "root", join(shots, `${name}.png`)]);
}

/** What `tandem agenda` prints for the same store and day: the headless twin of the day view. */
function cliAgenda(date) {
  const out = execFileSync(cli, ["--data-dir", dataDir, "--now", NOW, "agenda", "--date", date, "--json"], { encoding: "utf8" });
  return JSON.parse(out);
}

const blockTitles = () => d.texts(".column .block .title");

before(async () => {
  d = await Driver.start({ app, env: { TANDEM_NOW: NOW, TANDEM_DATA_DIR: dataDir, TANDEM_EXPORT_DIR: exportDir } });
  await d.waitFor(async () => (await blockTitles()).length > 0, "the calendar to show meetings", 30000);
});

after(async () => {
  await d?.stop();
});

describe("the executive partner's window on first launch", () => {
  it("opens on the demo executive's week with her merged calendars", async () => {
    assert.equal(await d.execute("return document.querySelector('select[aria-label=Executive]').selectedOptions[0].text"), "Dana Okafor");
    assert.equal(await d.text(".period"), "Week of Mon 23 Nov");
    const days = await d.texts(".day-label .date");
    assert.deepEqual(days, ["Mon 23 Nov", "Tue 24 Nov", "Wed 25 Nov", "Thu 26 Nov", "Fri 27 Nov", "Sat 28 Nov", "Sun 29 Nov"]);
    const titles = await blockTitles();
    for (const t of ["Executive staff meeting", "Audit committee prep", "Customer visit: Fabrikam HQ", "Gym"]) {
      assert.ok(titles.includes(t), `${t} is on the week`);
    }
    // The committee call sits in two calendars but is one meeting.
    assert.equal(titles.filter((t) => t === "Compensation committee call").length, 1);
    // The overnight flight is drawn on both days it touches.
    assert.equal(titles.filter((t) => t.startsWith("Flight BA 178")).length, 2);
    assert.ok((await d.texts(".allday .chip")).includes("Hotel: The Langham, London"));
    // The trip: the landing day says where she is and the zone she left.
    assert.equal(await d.text('[data-travel="2026-11-26"]'), "London · New York");
    assert.equal(await d.text('[data-travel="2026-11-23"]'), null);
    await screenshot("week");
  });

  it("marks double bookings and unanswered invitations in words, not only colour", async () => {
    const labels = await d.attributes(".column .block", "aria-label");
    assert.ok(labels.some((l) => l.startsWith("1:1 Priya / Dana") && l.includes("conflict")));
    assert.ok(labels.some((l) => l.startsWith("Partner summit planning") && l.includes("awaiting answer")));
    assert.match(await d.text(".pill.danger"), /^\d+ in conflict$/);
    assert.match(await d.text(".pill.warn"), /^\d+ to answer$/);
  });

  it("shows the inbox in lanes with VIPs marked", async () => {
    assert.match(await d.text(".inbox-pane .lanes [aria-selected=true]"), /^All\s+3\d\d$/);
    const rows = await d.texts(".inbox .row");
    assert.ok(rows.length >= 10, `${rows.length} rows rendered`);
    assert.ok((await d.texts(".inbox .badge.vip")).length > 0, "some VIP mail is visible");
  });

  it("switches to the day view with d and shows the same day as `tandem agenda --date today`", async () => {
    await d.press("d");
    await d.waitFor(async () => (await d.text(".period")) === "Tue 24 Nov", "the day view");
    await d.waitFor(async () => (await d.texts(".day-label")).length === 1, "one day column");
    const shown = await blockTitles();
    const headless = cliAgenda("2026-11-24").filter((i) => !i.all_day).map((i) => i.summary);
    assert.deepEqual(shown, headless);
    await screenshot("day");
  });

  it("walks the day's meetings with j and shows the selected one's details", async () => {
    await d.press("j");
    await d.waitFor(async () => (await d.text(".detail h2")) !== null, "meeting details");
    const first = await d.text(".detail h2");
    await d.press("j");
    await d.waitFor(async () => (await d.text(".detail h2")) !== first, "the next meeting");
    assert.equal(await d.execute("return document.activeElement.classList.contains('block')"), true, "focus follows the selection");
    await d.press("k");
    await d.waitFor(async () => (await d.text(".detail h2")) === first, "back to the first meeting");
  });

  it("moves between days with l and h, and back with t", async () => {
    await d.press("l");
    await d.waitFor(async () => (await d.text(".period")) === "Wed 25 Nov", "the next day");
    await d.press("h");
    await d.press("h");
    await d.waitFor(async () => (await d.text(".period")) === "Mon 23 Nov", "the day before");
    await d.press("t");
    await d.waitFor(async () => (await d.text(".period")) === "Tue 24 Nov", "today");
  });

  it("shows a London day in London time with New York's hours beside it", async () => {
    await d.press("l");
    await d.press("l");
    await d.waitFor(async () => (await d.text(".period")) === "Thu 26 Nov", "the London day");
    await d.waitFor(async () => (await d.text(".header .zone.second")) === "New York", "the second time scale");
    assert.equal(await d.text(".header .zone"), "London");
    const dinner = await d.waitFor(
      async () => (await d.texts(".column .block")).find((t) => t.includes("Dinner with Fabrikam")) ?? null,
      "the dinner",
    );
    assert.ok(dinner.startsWith("19:30"), `the dinner reads in London time: ${dinner}`);
    // 19:00 London is 14:00 in New York.
    assert.equal((await d.texts("[data-testid=second-zone-hours] .hour"))[19], "14:00");
    await screenshot("travel-day");
    await d.press("t");
    await d.waitFor(async () => (await d.text(".period")) === "Tue 24 Nov", "today");
  });

  it("runs commands from the Ctrl+K palette, including switching executive", async () => {
    await d.press("Control", "k");
    await d.waitFor(async () => (await d.text("[role=dialog][aria-label='Command palette']")) !== null, "the palette");
    await screenshot("palette");
    for (const ch of "switch mar") await d.press(ch);
    await d.waitFor(async () => (await d.texts("#palette-list li .title"))[0] === "Switch to Marcus Bell", "the switch command");
    await d.press("Enter");
    await d.waitFor(async () => (await blockTitles()).includes("Plant visit: Dayton line 3"), "Marcus's calendar");
    assert.equal(await d.execute("return document.querySelector('select[aria-label=Executive]').selectedOptions[0].text"), "Marcus Bell");
    await d.press("s");
    for (const ch of "dana") await d.press(ch);
    await d.press("Enter");
    await d.waitFor(async () => (await blockTitles()).includes("Audit committee prep"), "Dana's calendar again");
  });

  it("edits working hours in the profile form, refuses a bad range, and undoes a saved change", async () => {
    const setDay = (day, value) =>
      d.execute(
        "const l = [...document.querySelectorAll('.hours label')].find(l => l.textContent.trim().startsWith(arguments[0])); const i = l.querySelector('input'); i.value = arguments[1]; i.dispatchEvent(new Event('input', {bubbles: true}));",
        day,
        value,
      );
    await d.press("e");
    await d.waitFor(async () => (await d.execute("return document.querySelectorAll('.hours input').length")) === 7, "the profile form");
    await setDay("Friday", "16:00-08:00");
    await d.click(".editor button.primary");
    await d.waitFor(async () => (await d.text("#profile-error")) !== null, "the validation error");
    assert.match(await d.text("#profile-error"), /fri.*ends before it starts|ends before it starts/s);
    await screenshot("profile-error");
    await setDay("Friday", "08:00-16:00");
    await setDay("Saturday", "09:00-12:00");
    await d.click(".editor button.primary");
    await d.waitFor(async () => (await d.text(".toast")) !== null && (await d.text(".toast")).includes("Profile saved"), "the saved toast");
    const profile = () => execFileSync(cli, ["--data-dir", dataDir, "profile", "show"], { encoding: "utf8" });
    assert.match(profile(), /sat = "09:00-12:00"/);
    await d.press("Control", "z");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("undone"), "the undo");
    assert.doesNotMatch(profile(), /sat = /);
    assert.match(profile(), /fri = "08:00-16:00"/);
  });

  it("imports an .ics file picked in the app and shows its meetings under a new calendar", async () => {
    const file = join(import.meta.dirname, "..", "fixtures", "ics", "teams-invite-in-windows-zone.ics");
    await d.type('[data-testid="ics-picker"]', file);
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("1 event into Teams"), "the import report");
    // The view reloads after the report: wait for the new calendar rather than race it.
    const names = await d.waitFor(async () => {
      const shown = await d.texts(".bar .show");
      return shown.includes("Teams") ? shown : null;
    }, "the new calendar in the calendars bar");
    // Hiding it takes it out of the legend's shown set; showing it again brings it back.
    await d.execute("document.querySelectorAll('.bar .show input')[arguments[0]].click()", names.indexOf("Teams"));
    await d.waitFor(async () => (await d.attributes(".bar .cal.hidden .show", "class")).length === 1, "the calendar hidden");
    await d.execute("document.querySelectorAll('.bar .show input')[arguments[0]].click()", names.indexOf("Teams"));
    await d.waitFor(async () => (await d.attributes(".bar .cal.hidden .show", "class")).length === 0, "the calendar shown again");
  });

  it("explains a selected double booking in the details (the README picture)", async () => {
    await d.press("w");
    await d.waitFor(async () => (await d.texts(".day-label")).length === 7, "the week view");
    assert.equal(await d.execute("return document.querySelectorAll('.column .now').length"), 1, "a now line on today only");
    let explained = false;
    for (let i = 0; i < 20 && !explained; i++) {
      await d.press("j");
      explained = ((await d.text(".detail .warning")) ?? "").startsWith("Double booked");
    }
    assert.ok(explained, "j reaches a meeting in conflict and its details say so");
    await d.execute("document.querySelector('.toast button[aria-label=Dismiss]')?.click()");
    await d.waitFor(async () => (await d.text(".toast")) === null, "no toast over the picture");
    await screenshot("readme");
  });

  it("subscribes to a published calendar, shows its meetings, and marks it stale when the server goes away", async () => {
    // A real publisher: Python's http.server on loopback serving one .ics file.
    const site = mkdtempSync(join(tmpdir(), "tandem-feed-"));
    writeFileSync(
      join(site, "offsites.ics"),
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Team offsites\r\nBEGIN:VEVENT\r\nUID:feed-1@e2e\r\n" +
        "DTSTART:20261125T200000Z\r\nDURATION:PT1H\r\nSUMMARY:Offsite planning (feed)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    const server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", site], { stdio: ["ignore", "pipe", "ignore"] });
    const port = await new Promise((resolve, reject) => {
      server.stdout.once("data", (line) => resolve(/ port (\d+)/.exec(String(line))?.[1]));
      server.once("error", reject);
    });
    try {
      await d.press("w");
      await d.click(".bar .actions button:first-child");
      await d.type('input[aria-label="Calendar address"]', `http://127.0.0.1:${port}/offsites.ics`);
      await d.click('form[aria-label="Subscribe to a calendar"] button[type="submit"]');
      await d.waitFor(async () => ((await d.text(".toast")) ?? "").startsWith("Subscribed to Team offsites"), "the subscription");
      await d.waitFor(async () => (await blockTitles()).includes("Offsite planning (feed)"), "the feed's meeting in the week");
      await screenshot("subscribed-calendar");
    } finally {
      server.kill();
    }
    await d.click('.bar button.feed');
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").startsWith("Could not refresh (cannot reach 127.0.0.1"), "the refresh failure");
    await d.waitFor(async () => (await d.text(".bar button.feed")) === "⚠ stale", "the feed marked stale");
    assert.ok((await blockTitles()).includes("Offsite planning (feed)"), "the cached meeting stays");
  });

  it("rings a meeting's alarm as a desktop notification and in the window", async () => {
    // Starts at 09:05 New York, five minutes from the fixed now, with a ten-minute alarm: due.
    const file = join(mkdtempSync(join(tmpdir(), "tandem-alarm-")), "counsel.ics");
    writeFileSync(
      file,
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:counsel@e2e\r\nDTSTART:20261124T140500Z\r\nDURATION:PT30M\r\n" +
        "SUMMARY:Prep call with counsel\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:Have the term sheet open\r\n" +
        "END:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    await d.type('[data-testid="ics-picker"]', file);
    const shown = await d.waitFor(
      async () => (await d.texts(".reminders .reminder")).find((t) => t.includes("Prep call with counsel")) ?? null,
      "the reminder in the window",
    );
    assert.ok(shown.includes("09:05, in 5 min") && shown.includes("Have the term sheet open"), shown);
    const log = process.env.TANDEM_NOTIFICATIONS;
    const sent = await d.waitFor(() => {
      const lines = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
      return lines.map((l) => JSON.parse(l)).find((n) => n.summary === "Prep call with counsel") ?? null;
    }, "the desktop notification");
    assert.match(sent.body, /Dana Okafor — 09:05 \(in 5 min\) · Have the term sheet open/);
    await screenshot("reminder");
    await d.click(".reminders button");
  });

  it("answers a held invitation with a key, undoes it, and dry-runs the rules", async () => {
    const cliJson = (...args) => JSON.parse(execFileSync(cli, ["--data-dir", dataDir, "--now", NOW, ...args, "--json"], { encoding: "utf8" }));
    await d.press("3");
    await d.waitFor(async () => (await d.text(".queue")) !== null, "the invitations queue");
    const queue = await d.text(".queue");
    assert.match(queue, /Held for review/);
    // The demo rules decided some invitations as they arrived; each says why.
    assert.match(queue, /Declined: Friday after 13:00 is protected \(rule 'Protect Friday afternoons'\)/);
    assert.match(queue, /Accepted: organized by Raj Malhotra \(board\)/);
    const held = cliJson("invitations").held;
    assert.ok(held.length > 0, "the demo holds some invitations for review");
    await d.waitFor(async () => ((await d.text(".detail h2")) ?? "") === held[0].summary, "the first held invitation in the details");
    await d.execute("document.querySelector('.toast button[aria-label=Dismiss]')?.click()");
    await screenshot("invitations");
    await d.press("a");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").startsWith(`Accepted “${held[0].summary}”`), "the answer");
    const queued = cliJson("outbox").find((o) => o.summary.startsWith(`Accepted: ${held[0].summary}`));
    assert.equal(queued?.state, "queued", "the reply waits in the outbox");
    await d.press("Control", "z");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("nothing was sent"), "the undo");
    assert.equal(cliJson("outbox").find((o) => o.id === queued.id).state, "cancelled");
    assert.ok(cliJson("invitations").held.some((i) => i.id === held[0].id), "back in the queue for review");

    await d.press("r");
    await d.waitFor(async () => (await d.text("[role=dialog][aria-labelledby=rules-title]")) !== null, "the rules editor");
    await d.execute("[...document.querySelectorAll('.editor footer button')].find(b => b.textContent.startsWith('Dry run')).click()");
    await d.waitFor(async () => ((await d.text(".dry h3")) ?? "").startsWith("Last 90 days"), "the dry-run table");
    assert.ok((await d.texts(".dry tbody tr")).length >= 10);
    await screenshot("rules-dry-run");
    await d.press("Escape");
  });

  it("creates a meeting for the executive and queues its invitations, sent on her behalf", async () => {
    const cliJson = (...args) => JSON.parse(execFileSync(cli, ["--data-dir", dataDir, "--now", NOW, ...args, "--json"], { encoding: "utf8" }));
    await d.press("1");
    await d.press("Shift", "N");
    await d.waitFor(async () => (await d.text("#meeting-title")) === "New meeting", "the meeting form");
    await d.type("[aria-labelledby=meeting-title] input", "Board prep call");
    await d.type('input[placeholder^="name@company.com"]', "eleanor@vanceholdings.example");
    await screenshot("new-meeting");
    await d.click("[aria-labelledby=meeting-title] button.primary");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("invitations to 1 waiting in the outbox"), "the saved meeting");
    const sent = cliJson("outbox").find((o) => o.summary === "Invitation: Board prep call to eleanor@vanceholdings.example");
    assert.equal(sent?.state, "queued");
    const raw = execFileSync(cli, ["--data-dir", dataDir, "outbox", "show", String(sent.id)], { encoding: "utf8" });
    assert.match(raw, /From: "Dana Okafor" <dana.okafor@northwind.example>/);
    assert.match(raw, /Sender: "Sam Rivera" <sam.rivera@northwind.example>/);
    // Ctrl+Z takes it back before it leaves: nobody was told.
    await d.press("Control", "z");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("nobody was told"), "the meeting taken back");
    assert.equal(cliJson("outbox").find((o) => o.id === sent.id).state, "cancelled");
  });

  it("lists the week's conflicts with 4, as `tandem conflicts` finds them, and shows one in the calendar", async () => {
    await d.press("Escape");
    await d.press("1");
    await d.press("w");
    await d.press("t");
    await d.press("4");
    await d.waitFor(async () => (await d.texts(".conflicts .row")).length > 0, "the conflicts list");
    const cli = JSON.parse(
      execFileSync(join(app, "..", "tandem"), ["--data-dir", dataDir, "--now", NOW, "conflicts", "--date", "2026-11-23", "--days", "7", "--json"], { encoding: "utf8" }),
    );
    const rows = await d.texts(".conflicts .row .reason");
    assert.deepEqual(rows, cli.conflicts.map((c) => c.reason));
    assert.ok(rows.some((r) => r.includes("'1:1 Priya / Dana'") && r.includes("overlap")), rows.join("\n"));
    await screenshot("conflicts");
    await d.press("Enter");
    await d.waitFor(async () => (await d.text(".detail h2")) !== null, "the conflict's meeting in the details");
  });

  it("shows the plan's proposals with 5 as `tandem schedule` makes them, previews one on the week, approves it and undoes it", async () => {
    const cli = (...args) =>
      JSON.parse(execFileSync(join(app, "..", "tandem"), ["--data-dir", dataDir, "--now", NOW, ...args, "--json"], { encoding: "utf8" }));
    await d.press("Escape");
    await d.press("1");
    await d.press("w");
    await d.press("t");
    await d.press("5");
    await d.waitFor(async () => (await d.texts(".proposals .row")).length > 0, "the proposals");
    const plan = cli("schedule", "--date", "2026-11-23", "--days", "7");
    const ids = (await d.texts(".proposals .row .id"));
    assert.deepEqual(ids, plan.proposals.map((p) => p.id));
    const titles = await d.texts(".proposals .row.selected .move .title");
    assert.deepEqual(titles, plan.proposals[0].moves.map((m) => m.summary));
    // The selected proposal is drawn on the week where its meetings would go.
    await d.waitFor(async () => (await d.texts(".column .ghost")).length > 0, "the preview on the week");
    assert.ok((await d.texts(".proposal-detail li")).some((r) => r.startsWith("Move ")), "the reasons in the details");
    await screenshot("proposals");
    await d.press("a");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("Approved"), "the approval");
    const approvals = cli("approvals");
    assert.equal(approvals.length, 1);
    assert.ok(approvals[0].can_undo && !approvals[0].undone);
    await d.press("u");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("undone"), "the undo");
    assert.ok(cli("approvals")[0].undone);
    // Back as it was: the same plan again.
    assert.deepEqual(cli("schedule", "--date", "2026-11-23", "--days", "7").proposals.map((p) => p.id), ids);
  });
});

describe("the executive's briefing from the EP's window", () => {

  it("writes a prep note on a meeting with p and Ctrl+Enter", async () => {
    await d.press("1");
    await d.press("d");
    await d.press("t");
    await d.waitFor(async () => (await d.text(".period")) === "Tue 24 Nov", "today's day view");
    await d.press("j");
    await d.waitFor(async () => (await d.text(".detail h2")) === "Daily check-in with Sam", "the first meeting's details");
    await d.press("p");
    assert.equal(await d.execute("return document.activeElement.id"), "prep-note", "p puts the cursor in the prep note");
    await d.type("#prep-note", note);
    await d.press("Control", "Enter");
    await d.waitFor(async () => (await d.text(".prep [role=status]")) === "Saved for the briefing", "the note saved");
    await d.press("Escape");
    // On a series, the note is this instance's.
    const prep = (...more) => execFileSync(cli, ["--data-dir", dataDir, "--now", NOW, "prep", "ep-checkin@demo.northwind.example", ...more], { encoding: "utf8" }).trim();
    assert.equal(prep("--instance", "2026-11-24T08:30:00-05:00"), note);
    assert.equal(prep(), "", "not the whole series'");
  });

  it("exports the day's briefing as PDF, HTML and text with Shift+E, the note in each", async () => {
    await d.press("Shift", "E");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes(exportDir), "the toast saying where the files are");
    const base = join(exportDir, "Briefing Dana Okafor 2026-11-24");
    const html = readFileSync(`${base}.html`, "utf8");
    const text = readFileSync(`${base}.txt`, "utf8");
    assert.match(html, /^<!DOCTYPE html>/);
    assert.ok(html.includes(note) && text.includes(`prep: ${note}`), "the note is in the HTML and the text");
    const pdfText = execFileSync("pdftotext", [`${base}.pdf`, "-"], { encoding: "utf8" });
    assert.ok(pdfText.includes("Ask about the Berlin headcount"), pdfText);
    assert.ok(pdfText.includes("Tuesday 24 November 2026"));
    // The PDF's first page as a picture, beside the window's screenshots.
    mkdirSync(shots, { recursive: true });
    execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", `${base}.pdf`, join(shots, "briefing-pdf")]);
    // A second export never overwrites the first.
    await d.press("Shift", "E");
    await d.waitFor(() => existsSync(`${base} (2).pdf`), "the second export beside the first");
  });
});

describe("the inbox", () => {
  const cliJson = (...args) => JSON.parse(execFileSync(cli, ["--data-dir", dataDir, "--now", NOW, ...args, "--json"], { encoding: "utf8" }));

  it("works the lanes from the keyboard as `tandem inbox` orders them, archives with e and undoes with Ctrl+Z", async () => {
    await d.press("Escape");
    await d.press("2");
    await d.waitFor(async () => (await d.texts(".inbox .row")).length > 0, "the inbox rows");
    const lanes = cliJson("inbox").lanes;
    const tabs = await d.texts(".inbox-pane .lanes [role=tab]");
    assert.ok(tabs.some((t) => t.startsWith("Needs exec") && t.endsWith(String(lanes[0].count))), tabs.join(" | "));
    await d.press("]");
    await d.waitFor(async () => ((await d.text(".inbox-pane .lanes [aria-selected=true]")) ?? "").startsWith("Needs exec"), "the first lane");
    const first = cliJson("inbox", "--lane", "needs_executive", "--limit", "5").items[0];
    await d.press("j");
    await d.waitFor(async () => (await d.text(".reader h2")) === first.subject, "the first message opened");
    assert.match(await d.text(".reader"), new RegExp(first.lane_reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    await screenshot("inbox");
    await d.press("e");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").startsWith("Archived 1 message"), "the archive");
    assert.ok(!cliJson("inbox", "--lane", "needs_executive", "--limit", "500").items.some((m) => m.id === first.id), "archived in the store");
    await d.press("Control", "z");
    await d.waitFor(async () => ((await d.text(".toast")) ?? "").startsWith("Undone"), "the undo");
    assert.ok(cliJson("inbox", "--lane", "needs_executive", "--limit", "500").items.some((m) => m.id === first.id), "back in the lane");
  });

  it("shows the HTML newsletter sandboxed with its remote images held back", async () => {
    await d.press("/");
    await d.type("input[aria-label='Search mail']", "humanoid");
    await d.press("Enter");
    await d.waitFor(async () => (await d.text(".reader h2")) === "Robotics Weekly: the humanoid issue", "the newsletter opened");
    assert.equal(await d.execute("return document.querySelector('.reader iframe').getAttribute('sandbox')"), "");
    assert.match(await d.text(".reader .remote"), /^2 remote images held back/);
    await screenshot("newsletter");
  });

  it("runs none of the XSS corpus and loads nothing remote in the real webview", async () => {
    const hits = [];
    const server = createServer((req, res) => {
      hits.push(req.url);
      res.end("");
    });
    await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const url = `http://127.0.0.1:${server.address().port}`;
      const corpus = readFileSync(join(import.meta.dirname, "../../src-tauri/crates/formats/tests/xss/vectors.txt"), "utf8")
        .split("\n")
        .filter((l) => l.trim() && !l.startsWith("#"))
        .map((l) => l.replaceAll("{URL}", url));
      assert.ok(corpus.length >= 40);
      const html = `<html><body><h1>XSS corpus</h1>${corpus.join("\n")}<script>window.top.__xss = 1</script></body></html>`;
      const eml = join(dataDir, "xss.eml");
      writeFileSync(
        eml,
        `From: Mallory <mallory@evil.example>\r\nTo: dana.okafor@northwind.example\r\nSubject: XSS corpus\r\n` +
          `Date: Tue, 24 Nov 2026 13:00:00 +0000\r\nMessage-ID: <xss-corpus@evil.example>\r\nMIME-Version: 1.0\r\n` +
          `Content-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`,
      );
      execFileSync(cli, ["--data-dir", dataDir, "--now", NOW, "mail", "import", eml]);
      await d.press("Escape");
      await d.press("/");
      await d.type("input[aria-label='Search mail']", "xss corpus");
      await d.press("Enter");
      await d.waitFor(async () => (await d.text(".reader h2")) === "XSS corpus", "the corpus opened");
      await d.waitFor(
        () => d.execute("const f = document.querySelector('.reader iframe'); return !!f && f.srcdoc.includes('XSS corpus')"),
        "the frame",
      );
      // Give anything that could run or load the time to do so.
      execFileSync("sleep", ["3"]);
      assert.deepEqual(hits, [], "nothing reached the listener");
      assert.equal(await d.execute("return window.__xss === undefined && document.title === 'Tandem'"), true);
      let alertShown = true;
      try {
        await d.cmd("GET", "/alert/text");
      } catch {
        alertShown = false;
      }
      assert.equal(alertShown, false, "no alert dialog");
      // The frame has no same-origin access: its document is not reachable from the app.
      assert.equal(await d.execute("try { return document.querySelector('.reader iframe').contentDocument === null } catch { return true }"), true);
      await screenshot("xss-corpus");
    } finally {
      server.close();
    }
  });

  it("adds the executive's Dovecot and SMTP accounts, shows her server's mail beside the demo's, and a reply leaves through SMTP", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tandem-e2e-mail-"));
    mkdirSync(join(dir, "deliver"));
    writeFileSync(
      join(dir, "deliver", "1.eml"),
      "From: Eleanor Vance <eleanor@vanceholdings.example>\r\nTo: Dana Okafor <dana.okafor@northwind.example>\r\n" +
        "Subject: Dinner before the board\r\nMessage-ID: <dinner-e2e@vanceholdings.example>\r\n" +
        "Date: Tue, 24 Nov 2026 13:30:00 +0000\r\n\r\nDana, dinner on Wednesday before the board?\r\n",
    );
    const servers = spawn(process.env.TANDEM_PYTHON ?? "python3", [join(import.meta.dirname, "mail_servers.py"), dir], { stdio: ["ignore", "pipe", "inherit"] });
    const info = await new Promise((ok, fail) => {
      let out = "";
      servers.stdout.on("data", (b) => {
        out += b;
        if (out.includes("\n")) ok(JSON.parse(out.split("\n")[0]));
      });
      servers.on("exit", (code) => fail(new Error(`the mail servers stopped (${code})`)));
    });
    const setField = (css, value) =>
      d.execute("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }))", css, value);
    const status = () => d.text(".accounts [role=status]");
    try {
      await d.press("Escape");
      await d.execute("[...document.querySelectorAll('.pane-title button')].find((b) => b.textContent.trim() === 'Accounts').click()");
      await d.waitFor(async () => ((await d.text(".accounts")) ?? "").includes("No accounts yet"), "the accounts dialog");
      const add = async (kind, server) => {
        await d.execute(`document.querySelectorAll(".accounts input[name=kind]")[${kind === "imap" ? 0 : 1}].click()`);
        await setField("#a-host", "localhost");
        await setField("#a-security", "starttls");
        await setField("#a-port", String(server.port));
        await setField("#a-user", server.user);
        await setField("#a-password", server.password);
        await setField("#a-ca", server.cert);
        await d.click(".accounts form button[type=submit]");
        await d.waitFor(async () => ((await status()) ?? "").startsWith(`Added ${kind.toUpperCase()}`), `the ${kind} account added`, 30000);
      };
      await add("imap", info.imap);
      await add("smtp", info.smtp);
      assert.equal((await d.texts(".accounts tbody tr")).length, 2);
      await d.execute("[...document.querySelectorAll('.accounts button')].find((b) => b.textContent.trim() === 'Sync now').click()");
      await d.waitFor(async () => ((await status()) ?? "").includes("localhost: 1 new"), "the sync", 30000);
      await screenshot("accounts");
      await d.press("Escape");
      // Her server's mail sits in the lanes with the demo's, triaged like it.
      const inbox = cliJson("inbox", "--limit", "500").items;
      const dinner = inbox.find((m) => m.subject === "Dinner before the board");
      assert.equal(dinner?.lane, "needs_executive", dinner?.lane_reason);
      assert.ok(inbox.some((m) => m.subject === "Q4 board pack (final)"), "the demo's mail is still there");
      await d.press("/");
      await d.type("input[aria-label='Search mail']", "dinner before the board");
      await d.press("Enter");
      await d.waitFor(async () => (await d.text(".reader h2")) === "Dinner before the board", "her server's message opened");
      await d.press("r");
      const state = () => d.execute("return `focus: ${document.activeElement?.outerHTML.slice(0, 120)}; composer: ${document.querySelector('.composer')?.textContent ?? 'none'}`");
      await d.waitFor(async () => !!(await d.execute("return document.querySelector('.composer')")), `the composer (${await state()})`);
      await d.waitFor(async () => ((await d.execute("return document.querySelector('#c-body')?.value ?? ''")) ?? "").includes("wrote:"), "the reply drafted").catch(async (e) => {
        throw new Error(`${e.message}: ${await state()}`);
      });
      await setField("#c-template", "Acknowledge");
      await d.waitFor(async () => ((await d.execute("return document.querySelector('#c-body')?.value ?? ''")) ?? "").startsWith("Hi Eleanor,"), "the template filled in");
      await screenshot("reply");
      await d.press("Control", "Enter");
      await d.waitFor(async () => ((await d.text(".toast")) ?? "").startsWith("Reply to Eleanor Vance"), "the reply queued");
      // After the undo window the outbox leaves through her SMTP account (the app's clock is
      // fixed, so the CLI sends it, a few minutes later).
      execFileSync(cli, ["--data-dir", dataDir, "--now", "2026-11-24T14:05:00Z", "mail", "sync"]);
      const sent = execFileSync("sh", ["-c", `cat ${info.sent}/*.eml`], { encoding: "utf8" });
      assert.match(sent, /Subject: Re: Dinner before the board/);
      assert.match(sent, /Sender: "Sam Rivera" <sam.rivera@northwind.example>/);
      assert.match(sent, /Hi Eleanor,/);
    } finally {
      servers.kill("SIGTERM");
    }
  });

  it("adds the executive's Radicale calendars in the accounts dialog, works offline, and on reconnect every change lands, a clash settled by the EP", async () => {
    // A real Radicale on loopback with a password, holding one calendar with one meeting.
    const dir = mkdtempSync(join(tmpdir(), "tandem-e2e-caldav-"));
    writeFileSync(join(dir, "users"), "dana:radicale e2e\n");
    const port = 20000 + Math.floor(Math.random() * 20000);
    const root = `http://127.0.0.1:${port}/`;
    const auth = { authorization: "Basic " + Buffer.from("dana:radicale e2e").toString("base64") };
    /** Starts Radicale on the same port and folder, and waits until it answers. */
    const startRadicale = async () => {
      const p = spawn(process.env.TANDEM_PYTHON ?? "python3", [
        "-m", "radicale", "--server-hosts", `127.0.0.1:${port}`, "--storage-filesystem-folder", join(dir, "collections"),
        "--auth-type", "htpasswd", "--auth-htpasswd-encryption", "plain", "--auth-htpasswd-filename", join(dir, "users"),
        "--rights-type", "owner_only", "--logging-level", "warning",
      ], { stdio: "ignore" });
      let up = false;
      for (let i = 0; i < 150 && !up; i++) {
        up = await fetch(root, { method: "PROPFIND", headers: { ...auth, depth: "0" } }).then(() => true, () => false);
        if (!up) await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(up, "Radicale answers");
      return p;
    };
    let radicale = await startRadicale();
    try {
      await fetch(`${root}dana/`, { method: "PROPFIND", headers: { ...auth, depth: "0" } });
      /** Another client makes a calendar on the server, holding one meeting. */
      const makeCalendar = async (id, name, uid, summary, start) => {
        const mk = await fetch(`${root}dana/${id}/`, {
          method: "MKCALENDAR",
          headers: auth,
          body: `<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>${name}</D:displayname></D:prop></D:set></C:mkcalendar>`,
        });
        assert.equal(mk.status, 201);
        const put = await fetch(`${root}dana/${id}/${uid}.ics`, {
          method: "PUT",
          headers: { ...auth, "content-type": "text/calendar" },
          body: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:e2e\r\nBEGIN:VEVENT\r\nUID:${uid}@e2e\r\nDTSTAMP:20261101T000000Z\r\n` +
            `DTSTART:${start}\r\nDURATION:PT1H\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`,
        });
        assert.equal(put.status, 201);
      };
      await makeCalendar("family", "Family", "recital", "School recital (from Radicale)", "20261124T230000Z");

      const setField = (css, value) =>
        d.execute("const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', { bubbles: true }))", css, value);
      const status = () => d.text(".accounts [role=status]");
      await d.execute("[...document.querySelectorAll('.pane-title button')].find((b) => b.textContent.trim() === 'Accounts' || b.textContent.startsWith('Mail:')).click()");
      await d.waitFor(async () => ((await d.text(".accounts h2")) ?? "").startsWith("Accounts"), "the accounts dialog");
      await d.execute('document.querySelectorAll(".accounts input[name=kind]")[2].click()');
      await d.waitFor(() => d.execute("return !!document.querySelector('#a-url')"), "the CalDAV fields");
      await setField("#a-url", root);
      await setField("#a-user", "dana");
      await setField("#a-password", "wrong");
      await d.click(".accounts form button[type=submit]");
      await d.waitFor(async () => ((await d.text(".accounts [role=alert]")) ?? "").includes("(401)"), "a wrong password refused, saying so", 30000);
      await setField("#a-password", "radicale e2e");
      await d.click(".accounts form button[type=submit]");
      await d.waitFor(async () => ((await status()) ?? "").includes("Family: 1 fetched"), "the account added and synced", 30000);
      assert.ok((await d.texts(".accounts tbody tr")).some((r) => r.includes(`dana at ${root}`)));
      await screenshot("caldav-account");
      await d.press("Escape");
      await d.press("1");
      await d.press("w");
      await d.waitFor(async () => (await blockTitles()).includes("School recital (from Radicale)"), "the Radicale meeting in the week", 20000);

      // The executive makes a calendar on her phone: the EP lists the server's calendars and adds it.
      await makeCalendar("trips", "Trips", "lisbon", "Flight to Lisbon (from Radicale)", "20261125T120000Z");
      await d.execute("[...document.querySelectorAll('.pane-title button')].find((b) => b.textContent.trim() === 'Accounts' || b.textContent.startsWith('Mail:')).click()");
      await d.waitFor(() => d.execute("return !!document.querySelector('.accounts button[aria-label^=\"Calendars of dana\"]')"), "the account's Calendars button");
      await d.click('.accounts button[aria-label^="Calendars of dana"]');
      await d.waitFor(async () => ((await d.text(".accounts .on-server")) ?? "").includes("in Tandem as Family"), "the server's calendars listed");
      await d.click('.accounts .on-server button[aria-label="Add Trips"]');
      await d.waitFor(async () => ((await status()) ?? "").includes("Added Trips: 1 fetched."), "the new calendar added and fetched", 30000);
      await d.press("Escape");
      await d.waitFor(async () => (await blockTitles()).includes("Flight to Lisbon (from Radicale)"), "its meeting in the week", 20000);

      const pillText = async (css) => (await d.execute("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : ''", css));
      const waiting = async () => Number((await pillText(".pill.waiting")).split(" ")[0] || 0);
      const syncNow = async () => {
        await d.execute("[...document.querySelectorAll('.pane-title button')].find((b) => b.textContent.trim() === 'Accounts' || b.textContent.startsWith('Mail:')).click()");
        await d.waitFor(() => d.execute("const b = document.querySelector('.accounts .sync button'); return !!b && !b.disabled"), "the Sync now button");
        await d.click(".accounts .sync button");
        await d.waitFor(async () => !(await d.execute("return document.querySelector('.accounts .sync button').disabled")), "the sync to end", 30000);
        await d.press("Escape");
      };

      // Offline: the server goes away. The EP still plans a meeting in the executive's Family
      // calendar, and the status bar counts it as waiting at once.
      const before = await waiting();
      radicale.kill("SIGTERM");
      await new Promise((r) => (radicale.exitCode !== null ? r() : radicale.once("exit", r)));
      await d.press("Shift", "N");
      await d.waitFor(async () => (await d.text("#meeting-title")) === "New meeting", "the meeting form");
      await d.type("[aria-labelledby=meeting-title] input", "Recital carpool");
      await d.execute(
        "const s = [...document.querySelectorAll('[aria-labelledby=meeting-title] label')].find((l) => l.textContent.startsWith('Calendar')).querySelector('select');" +
          "s.value = [...s.options].find((o) => o.textContent === 'Family').value; s.dispatchEvent(new Event('change', { bubbles: true }))",
      );
      await d.click("[aria-labelledby=meeting-title] button.primary");
      await d.waitFor(async () => ((await d.text(".toast")) ?? "").includes("Recital carpool"), "the meeting saved");
      await d.waitFor(async () => (await waiting()) === before + 1, "the write to Radicale waiting");
      // Sync now: the server is out of reach, and the status bar says which, though the laptop is online.
      await syncNow();
      await d.waitFor(async () => ((await d.attributes(".pill.link", "title"))[0] ?? "").includes("dana at 127.0.0.1: cannot connect to 127.0.0.1"), "the server named out of reach");
      assert.equal(await waiting(), before + 1, "still waiting, nothing lost");
      await screenshot("caldav-offline");

      // Back online: Sync now sends it at once (not after the retry's back-off), and only once.
      radicale = await startRadicale();
      await syncNow();
      await d.waitFor(async () => (await waiting()) === before, "the write sent", 30000);
      const carpool = cliAgenda("2026-11-24").find((i) => i.summary === "Recital carpool");
      assert.ok(carpool, "the meeting is in the agenda");
      const href = `${root}dana/family/${carpool.uid.replace(/[^A-Za-z0-9._@-]/g, "-")}.ics`;
      const onServer = await fetch(href, { headers: auth });
      assert.equal(onServer.status, 200);
      const theirs = await onServer.text();
      assert.match(theirs, /SUMMARY:Recital carpool/);
      const listing = await fetch(`${root}dana/family/`, { method: "PROPFIND", headers: { ...auth, depth: "1" } }).then((r) => r.text());
      assert.equal(listing.match(/\.ics<\/href>/g)?.length, 2, "the recital and the carpool, no copy");

      // A clash: here the EP renames it (through the CLI, on the same store) while another client
      // renames it on the server. Both are kept; the EP picks ours in the clashes dialog.
      execFileSync(cli, ["--data-dir", dataDir, "--now", NOW, "event", "edit", carpool.uid, "--title", "Recital carpool (Dana drives)"]);
      const other = await fetch(href, { method: "PUT", headers: { ...auth, "content-type": "text/calendar" }, body: theirs.replace("SUMMARY:Recital carpool", "SUMMARY:Recital carpool (Sam drives)") });
      assert.ok(other.status < 300, `the other client's change stored (${other.status})`);
      await syncNow();
      await d.waitFor(async () => (await pillText(".pill.clashes")) === "1 clash kept", "the clash in the status bar", 30000);
      await d.click(".pill.clashes");
      await d.waitFor(async () => ((await d.text(".clashes li")) ?? "").includes("Recital carpool (Sam drives) on the server, Recital carpool (Dana drives) here"), "the clash, both sides");
      assert.match(await d.text(".clashes li"), /Both changed the title\./);
      await screenshot("caldav-clash");
      await d.click(".clashes li button.primary");
      await d.waitFor(async () => ((await d.text(".clashes")) ?? "").includes("No clashes"), "the clash settled");
      await d.press("Escape");
      assert.match(await fetch(href, { headers: auth }).then((r) => r.text()), /SUMMARY:Recital carpool \(Dana drives\)/);
      // Its block is narrow (it overlaps the Contoso review), so read the text the DOM holds.
      const summaries = () => d.execute("return [...document.querySelectorAll('.column .block .title')].map((e) => e.textContent)");
      await d.waitFor(async () => (await summaries()).includes("Recital carpool (Dana drives)"), "ours in the week");
      assert.equal(await pillText(".pill.clashes"), "", "no clash left");
    } finally {
      radicale.kill("SIGTERM");
    }
  });
});

// Last: WebDriver's close leaves the briefing's X window mapped on Xvfb (no window manager),
// blank over the EP's window, so screenshots taken after it would show a grey half.
describe("the executive's briefing window, from the EP's", () => {
  it("opens the read-only briefing window with Shift+B, the morning and the evening before", async () => {
    const ep = await d.window();
    await d.press("Shift", "B");
    const handles = await d.waitFor(async () => {
      const h = await d.handles();
      return h.length === 2 ? h : null;
    }, "the briefing window", 20000);
    const briefing = handles.find((h) => h !== ep);
    await d.switchTo(briefing);
    const doc = () => d.execute("const f = document.querySelector('iframe[title=Briefing]'); return f ? f.srcdoc : ''");
    await d.waitFor(async () => (await doc()).includes(note), "the briefing with the prep note", 20000);
    assert.equal(await d.execute("return location.search.startsWith('?briefing')"), true);
    await screenshot("briefing-window");
    await d.press("e");
    await d.waitFor(async () => (await doc()).includes("evening briefing"), "the evening edition");
    assert.match(await doc(), /For tomorrow, Wednesday 25 November 2026/);
    assert.equal(await d.text(".briefing-window .day"), "Wed 25 Nov");
    await d.closeWindow();
    await d.switchTo(ep);
    await d.waitFor(async () => (await d.handles()).length === 1, "the briefing window closed");
  });
});
