"""Mail benchmark: import a generated Maildir into Tandem and search it, against notmuch (the
Debian package) indexing and searching the same Maildir in the same run.

The generator is seeded, and plants words in known messages so that every search has a known
answer: both Tandem and notmuch must find exactly those messages, or the run fails (a fast
wrong answer is no answer).

Budgets (DESIGN.md): 100k messages imported in under 60 s; a search in under 20 ms.

usage: mail.py --cli PATH [--count N] [--quick] [--keep DIR]
  --quick   2,000 messages and a few repeats: checks the answers, as CI does.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-24T14:00:00Z"
WORDS = (
    "board pack budget forecast pricing renewal contract signature hiring plan quarter review audit "
    "committee strategy offsite customer pilot scope launch roadmap platform engineering supplier "
    "factory line output target margin cash flow investor update dinner call meeting agenda draft "
    "slides deck numbers approval decision team office move travel flight hotel London Boston Dayton "
    "robotics automation gripper sensor firmware safety recall press statement legal privileged "
    "the a of to and in for on with by at from about this that we you our your will can please thanks"
).split()
FIRST = "Ava Ben Chris Dana Eleanor Fatima Grace Hannah Henrik Luis Mia Olivia Priya Raj Sam Tomas".split()
LAST = "Adler Brooks Chen Kim Larsen Malhotra Noor Okafor Ortega Osei Rivera Rossi Shah Thompson Vance Young".split()
DOMAINS = ["northwind.example", "contoso.example", "fabrikam.example", "summitpeak.example", "vendor.example"]
# Planted words and how often: every k-th message carries the word, so the answer is known.
PLANTED = {"zephyrine": 997, "quillbrook": 131, "marrowgate": 29}


def person(rng):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return f"{first} {last}", f"{first.lower()}.{last.lower()}@{rng.choice(DOMAINS)}"


def generate(root, count, seed=2026):
    """Writes `count` messages into a Maildir at `root`; returns the expected answers."""
    rng = random.Random(seed)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    expected = {w: 0 for w in PLANTED}
    expected["from:ava.adler"] = 0
    for i in range(count):
        name, addr = person(rng)
        words = [rng.choice(WORDS) for _ in range(rng.randint(80, 400))]
        for w, k in PLANTED.items():
            if i % k == 0:
                words.insert(rng.randrange(len(words) + 1), w)
                expected[w] += 1
        if addr.startswith("ava.adler@"):
            expected["from:ava.adler"] += 1
        subject = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()
        day = 1 + i % 28
        minute = i % 1440
        lines = [
            f"From: {name} <{addr}>",
            "To: Dana Okafor <dana.okafor@northwind.example>",
            f"Subject: {subject}",
            f"Date: Mon, {day:02d} Jun 2026 {minute // 60:02d}:{minute % 60:02d}:00 +0000",
            f"Message-ID: <bench-{i}@bench.example>",
        ]
        if i % 5 == 0:
            lines.append("List-Id: <weekly.bench.example>")
        lines += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", ""]
        body = "\n".join(" ".join(words[j : j + 12]) for j in range(0, len(words), 12))
        folder = "cur" if i % 3 else "new"
        flags = ":2,S" if folder == "cur" else ""
        with open(os.path.join(root, folder, f"{i}.bench{flags}"), "w") as f:
            f.write("\r\n".join(lines) + "\r\n" + body.replace("\n", "\r\n") + "\r\n")
    return expected


def timed(cmd, env=None):
    t0 = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return time.perf_counter() - t0, out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--count", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--keep")
    a = ap.parse_args()
    count = 2_000 if a.quick else a.count
    repeats = 3 if a.quick else 25
    work = a.keep or tempfile.mkdtemp(prefix="tandem-mailbench-")
    maildir = os.path.join(work, "Maildir")
    shutil.rmtree(maildir, ignore_errors=True)
    t0 = time.perf_counter()
    expected = generate(maildir, count)
    print(f"generated {count} messages in {time.perf_counter() - t0:.1f} s ({maildir})")

    data = os.path.join(work, "tandem")
    shutil.rmtree(data, ignore_errors=True)
    base = [a.cli, "--data-dir", data, "--now", NOW]
    subprocess.run(base + ["demo"], check=True, capture_output=True)
    t_import, out = timed(base + ["mail", "import", maildir])
    print(f"tandem: {out.strip()}")

    have_notmuch = shutil.which("notmuch") is not None
    nm_env = None
    t_new = None
    if have_notmuch:
        cfg = os.path.join(work, "notmuch-config")
        with open(cfg, "w") as f:
            f.write(f"[database]\npath={maildir}\n[user]\nname=Bench\nprimary_email=dana.okafor@northwind.example\n"
                    "[new]\ntags=inbox;\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n")
        nm_env = dict(os.environ, NOTMUCH_CONFIG=cfg)
        shutil.rmtree(os.path.join(maildir, ".notmuch"), ignore_errors=True)
        t_new, _ = timed(["notmuch", "new", "--quiet"], nm_env)
    else:
        print("notmuch is not installed (apt-get install notmuch): no peer figures", file=sys.stderr)

    failures = []
    rows = []
    queries = {"zephyrine": "zephyrine", "quillbrook": "quillbrook", "marrowgate": "marrowgate", "from:ava.adler": "from:ava.adler"}
    for key, q in queries.items():
        out = subprocess.run(base + ["search", q, "--limit", "500", "--repeat", str(repeats), "--json"],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        # The demo's own mail never carries the planted words or the bench sender.
        if r["found"] != min(expected[key], 500):
            failures.append(f"tandem found {r['found']} for {q}, expected {expected[key]}")
        proc_t = min(timed(base + ["search", q, "--limit", "500"])[0] for _ in range(3))
        nm_n, nm_t = None, None
        if have_notmuch:
            # Like for like: the newest 500 matches, as Tandem's search returns them.
            nm_times = []
            for _ in range(3):
                t, out = timed(["notmuch", "search", "--output=messages", "--sort=newest-first", "--limit=500", q], nm_env)
                nm_times.append(t)
                listed = len(out.split())
            nm_t = min(nm_times)
            nm_n = int(timed(["notmuch", "count", q], nm_env)[1].strip())
            if nm_n != expected[key] or listed != min(expected[key], 500):
                failures.append(f"notmuch found {nm_n} (listed {listed}) for {q}, expected {expected[key]}")
        rows.append((q, r["found"], r["median_ms"], proc_t * 1000, nm_n, None if nm_t is None else nm_t * 1000))

    print()
    print(f"import {count} messages: tandem {t_import:.1f} s" + (f", notmuch new {t_new:.1f} s, ratio {t_import / t_new:.2f}" if t_new else ""))
    print("search: the newest 500 matches; in-process is Tandem's search alone, cmd is a whole `tandem search` /")
    print("`notmuch search --limit=500` process; ratio = tandem cmd / notmuch cmd")
    print(f"{'query':<18} {'found':>6} {'in-process ms':>14} {'tandem cmd ms':>14} {'notmuch cmd ms':>15} {'ratio':>6}")
    for q, n, med, proc_ms, nm_n, nm_ms in rows:
        ratio = f"{proc_ms / nm_ms:.2f}" if nm_ms else "-"
        print(f"{q:<18} {n:>6} {med:>14.2f} {proc_ms:>14.1f} {('-' if nm_ms is None else f'{nm_ms:.1f}'):>15} {ratio:>6}")
    worst = max(r[2] for r in rows)
    print(f"budgets: import {'OK' if t_import < 60 * count / 100_000 else 'OVER'} (60 s per 100k), "
          f"search {'OK' if worst < 20 else 'OVER'} (worst median {worst:.2f} ms < 20 ms)")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
