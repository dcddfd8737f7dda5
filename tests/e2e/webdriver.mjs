// A small WebDriver (classic) client over fetch, enough to drive the real Tandem app through
// tauri-driver -> WebKitWebDriver -> WebKitGTK. No browser download, no framework.
import { execFileSync, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export class Driver {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start({ app, port = 4444, env = {}, args = [] }) {
    // The driver, WebKitWebDriver and the app write to a log file, not to this process's
    // stdout: an app that outlived its session would otherwise hold the test runner's pipe
    // open, and the runner would wait for it for ever.
    const log = openSync(join(tmpdir(), `tandem-e2e-driver-${process.pid}.log`), "a");
    const proc = spawn("tauri-driver", ["--port", String(port), "--native-port", String(port + 1)], {
      env: { ...process.env, ...env },
      stdio: ["ignore", log, log],
    });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        const r = await fetch(`${base}/status`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
      if (i > 100) throw new Error("tauri-driver did not start");
      await sleep(100);
    }
    const res = await request(base, "POST", "/session", {
      capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application: app, args } } },
    });
    const driver = new Driver(base, res.value.sessionId);
    driver.proc = proc;
    driver.app = app;
    await driver.waitFor(() => driver.execute("return document.readyState === 'complete'"), "document ready");
    return driver;
  }

  async stop() {
    try {
      await request(this.base, "DELETE", `/session/${this.id}`);
    } catch {
      // the session may already be gone
    }
    this.proc?.kill();
    // Ending the session normally closes the app; make sure, by its path (anchored, so a
    // shell whose command line merely mentions the path is left alone).
    try {
      execFileSync("pkill", ["-f", `^${this.app}`]);
    } catch {
      // nothing left to kill
    }
  }

  cmd(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async execute(script, ...args) {
    return (await this.cmd("POST", "/execute/sync", { script, args })).value;
  }

  /** Polls `fn` until it returns a truthy value. */
  async waitFor(fn, what, timeoutMs = 15000) {
    const until = Date.now() + timeoutMs;
    let last;
    while (Date.now() < until) {
      try {
        last = await fn();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what} (last: ${last})`);
  }

  async find(css) {
    const r = await this.cmd("POST", "/element", { using: "css selector", value: css });
    const id = r.value?.[ELEMENT];
    if (!id) throw new Error(`no element ${css}: ${JSON.stringify(r)}`);
    return id;
  }

  async text(css) {
    return this.execute("const e = document.querySelector(arguments[0]); return e ? e.innerText : null", css);
  }

  async texts(css) {
    return this.execute("return [...document.querySelectorAll(arguments[0])].map(e => e.innerText)", css);
  }

  async attributes(css, name) {
    return this.execute("return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))", css, name);
  }

  async click(css) {
    const el = await this.find(css);
    await this.cmd("POST", `/element/${el}/click`, {});
  }

  /** Types into an element; for a file input, `text` is the path of the file to choose. */
  async type(css, text) {
    const el = await this.find(css);
    const r = await this.cmd("POST", `/element/${el}/value`, { text });
    if (r.value && r.value.error) throw new Error(`cannot type into ${css}: ${JSON.stringify(r.value)}`);
  }

  /** The app's windows (one handle per webview window). */
  async handles() {
    return (await this.cmd("GET", "/window/handles")).value;
  }

  async window() {
    return (await this.cmd("GET", "/window")).value;
  }

  /** Makes later commands act on the window `handle`. */
  async switchTo(handle) {
    await this.cmd("POST", "/window", { handle });
  }

  /** Closes the current window. */
  async closeWindow() {
    await this.cmd("DELETE", "/window");
  }

  /** Presses keys as the keyboard would: `["Control", "k"]` is a chord. */
  async press(...keys) {
    const map = { Control: "\uE009", Escape: "\uE00C", Enter: "\uE007", ArrowDown: "\uE015", ArrowUp: "\uE013", Shift: "\uE008" };
    const codes = keys.map((k) => map[k] ?? k);
    const actions = [...codes.map((value) => ({ type: "keyDown", value })), ...codes.reverse().map((value) => ({ type: "keyUp", value }))];
    await this.cmd("POST", "/actions", { actions: [{ type: "key", id: "kbd", actions }] });
    await this.cmd("DELETE", "/actions");
  }
}

async function request(base, method, path, body) {
  const r = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json.value ?? json)}`);
  return json;
}
