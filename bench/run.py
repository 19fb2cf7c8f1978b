"""``make bench``: every benchmark of the project, one after the other, results under ``out/bench/``.

    python -m bench.run            # core, HTTP load, batch workers
    python -m bench.run --retrain  # also the 1,000-document retraining benchmark (minutes)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from service.settings import REPO_ROOT

OUT = REPO_ROOT / "out" / "bench"


def _run(name: str, args: list[str]) -> None:
    print(f"== {name}: {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, *args], check=True, cwd=REPO_ROOT, env={**os.environ, "OMP_NUM_THREADS": "1"})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--retrain", action="store_true", help="also run the retraining benchmark")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    from bench import core

    result = core.main()
    (OUT / "core.json").write_text(json.dumps(result, indent=1) + "\n")
    print("== core (in-process cleaning)\n" + json.dumps(result, indent=1), flush=True)
    _run("http", ["bench/http_load.py", "--json", str(OUT / "http.json")])
    _run("batch", ["bench/batch_bench.py", "--json", str(OUT / "batch.json")])
    if args.retrain and (REPO_ROOT / "bench" / "retrain_bench.py").exists():
        _run("retrain", ["bench/retrain_bench.py", "--json", str(OUT / "retrain.json")])
    print(f"results in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
