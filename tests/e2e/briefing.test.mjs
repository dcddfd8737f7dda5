// End-to-end: the executive's briefing window (`tandem-desktop --briefing`) on the demo. It
// shows the day, and it can change nothing: every command the app has, other than the two it
// is granted, is refused by the backend when called from its webview, and so is making a
// window or a webview (one made under the EP's label would get the EP's commands).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Driver } from "./webdriver.mjs";

const NOW = "2026-11-24T14:00:00Z";
const dataDir = mkdtempSync(join(tmpdir(), "tandem-e2e-briefing-"));
let d;

before(async () => {
  d = await Driver.start({ app: process.env.TANDEM_APP, env: { TANDEM_NOW: NOW, TANDEM_DATA_DIR: dataDir }, args: ["--briefing"] });
  await d.waitFor(
    () => d.execute("const f = document.querySelector('iframe[title=Briefing]'); return !!f && f.srcdoc.includes('Dana Okafor')"),
    "the briefing",
    30000,
  );
});

after(async () => {
  await d?.stop();
});

const call = (cmd, args = {}) =>
  d.execute(
    "return window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => 'allowed', (e) => 'refused: ' + (e && e.message ? e.message : String(e)))",
    cmd,
    args,
  );

describe("the executive's briefing window", () => {
  it("shows the day's briefing in a sandboxed frame", async () => {
    assert.equal(await d.execute("return document.querySelector('iframe[title=Briefing]').getAttribute('sandbox')"), "");
    const doc = await d.execute("return document.querySelector('iframe[title=Briefing]').srcdoc");
    assert.match(doc, /Tuesday 24 November 2026/);
    assert.match(doc, /Audit committee prep/);
  });

  it("can call no command but its two, and cannot make windows or webviews", async () => {
    const build = readFileSync(join(import.meta.dirname, "../../src-tauri/build.rs"), "utf8");
    const commands = [...build.slice(build.indexOf("COMMANDS")).matchAll(/^\s+"(\w+)",$/gm)].map((m) => m[1]);
    assert.ok(commands.length > 40, `${commands.length} commands`);
    const granted = ["session", "briefing_html"];
    const refused = [];
    for (const cmd of commands.filter((c) => !granted.includes(c))) {
      const r = await call(cmd, { executive: "dana-okafor" });
      assert.notEqual(r, "allowed", `${cmd} ran from the briefing window`);
      assert.match(r, /not allowed|denied|forbidden/i, `${cmd}: ${r}`);
      refused.push(cmd);
    }
    for (const cmd of ["plugin:webview|create_webview_window", "plugin:window|create", "plugin:webview|create_webview"]) {
      const r = await call(cmd, { options: { label: "ep", url: "index.html" } });
      assert.notEqual(r, "allowed", `${cmd} ran from the briefing window`);
    }
    assert.match(await call("briefing_html", { executive: null, date: "2026-11-25" }), /^allowed$/);
    assert.ok(refused.includes("act_on_mail") && refused.includes("answer_invitation") && refused.includes("add_account"));
  });
});
