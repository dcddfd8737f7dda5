"""Tandem's scheduler against OR-Tools CP-SAT on the same instances, by hand:

    cargo build --release -p tandem-cli
    ~/.cache/tandem/venv/bin/python tests/benches/scheduler.py [--quick] [--cpsat-seconds S]

Instances: generated weeks of 20 to 800 meetings (the 300-meeting week with about 30
clashes is the budget's case), and OptaPlanner's meeting-scheduling instances (50 to 800
meetings) converted by optaplanner.py when ../shared/corpora is there. For each it prints
Tandem's time (the whole CLI process), steps and objective, CP-SAT's (2 workers, a time limit)
time, status and objective, and the ratios. Every plan is checked by the independent checker
(tests/oracle/scheduling.py) and must break nothing; when Tandem claims optimality CP-SAT must
not find better. --quick (CI) runs the small sizes only, as an answer check.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "oracle"))
sys.path.insert(0, str(HERE))
import optaplanner  # noqa: E402
import scheduling  # noqa: E402

CORPUS = HERE.parents[1] / ".." / "shared" / "corpora" / "meeting-scheduling-optaplanner" / "unsolved"


def placements_of(plan):
    return [{"status": "at", "start": p["to"].replace("+00:00", "Z")} if p["status"] in ("moved", "placed")
            else {"status": p["status"]} for p in plan["placements"]]


def tandem(cli, inst):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(inst, f)
    try:
        t0 = time.perf_counter()
        out = subprocess.run([cli, "--json", "schedule", "--instance", f.name], capture_output=True, text=True,
                             check=True).stdout
        wall = time.perf_counter() - t0
    finally:
        os.unlink(f.name)
    plan = json.loads(out)
    bad, objective = scheduling.check(inst, placements_of(plan))
    assert not bad, f"Tandem's plan breaks {bad[:3]}"
    assert objective == plan["objective"], (objective, plan["objective"])
    return wall, plan


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cpsat-seconds", type=float, default=60.0)
    ap.add_argument("--cli", default=str(pathlib.Path.home() / ".cache/tandem/target/release/tandem"))
    # The Python model of an 800-meeting instance with buffers (every pair sharing someone) takes
    # gigabytes and minutes to build: above this size only Tandem runs.
    ap.add_argument("--cpsat-max", type=int, default=400)
    ap.add_argument("--only", help="run the instances whose name contains this")
    # Start CP-SAT from Tandem's plan: then the question is whether it finds anything better.
    ap.add_argument("--hint-tandem", action="store_true")
    a = ap.parse_args()
    cases = []
    sizes = [20, 50] if a.quick else [20, 50, 100, 200, 300, 400, 800]
    for n in sizes:
        # A week of the executive and a team whose calendars Tandem knows, a tenth of the
        # meetings put on top of another: 300 meetings with 30 clashes is the budget's case.
        cases.append((f"week of {n}", scheduling.generate_week(n, n, clashes=n // 10, people=max(8, n // 10),
                                                               exec_meetings=min(40, n // 2))))
    if CORPUS.is_dir():
        for n in ([50] if a.quick else [50, 100, 200, 400, 800]):
            path = next(CORPUS.glob(f"{n}meetings-*.sheets.json"))
            cases.append((f"optaplanner {n}", optaplanner.convert(json.load(open(path)))))
    else:
        print(f"skipping the OptaPlanner instances: {CORPUS} is not there")
    seconds = min(a.cpsat_seconds, 10.0) if a.quick else a.cpsat_seconds
    print(f"{'instance':<18} {'clashes':>7} {'tandem s':>9} {'steps':>9} {'objective':>10} {'opt':>4} "
          f"{'cp-sat s':>9} {'status':>9} {'objective':>10} {'time x':>7} {'obj gap':>8}")
    for name, inst in cases:
        if a.only and a.only not in name:
            continue
        wall, plan = tandem(a.cli, inst)
        if len(inst["meetings"]) > a.cpsat_max:
            status, best, cwall = "not run", None, float("nan")
        else:
            hint = placements_of(plan) if a.hint_tandem else None
            status, _, best, cwall = scheduling.cpsat(inst, seconds=seconds, workers=2, hint=hint)
        if plan["optimal"] and best is not None:
            assert best >= plan["objective"], f"{name}: CP-SAT found {best} below Tandem's 'optimal' {plan['objective']}"
        gap = "-" if best is None else f"{(plan['objective'] - best) / max(1, best):+.1%}"
        print(f"{name:<18} {len(plan['status_quo_violations']):>7} {wall:>9.3f} {plan['steps']:>9} "
              f"{plan['objective']:>10} {'yes' if plan['optimal'] else 'no':>4} {cwall:>9.2f} {status:>9} "
              f"{best if best is not None else '-':>10} {cwall / wall:>7.1f} {gap:>8}", flush=True)


if __name__ == "__main__":
    main()
