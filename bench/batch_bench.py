"""Batch cleaning throughput: 1 worker vs N workers on a >= 20 MB JSONL corpus built from the seeds.

    .venv/bin/python -m bench.batch_bench [--mb 40] [--workers 1 2] [--models-dir DIR] [--json FILE]

The default corpus is 40 MB: each worker pays about 1.6 s of start-up (imports 1.2 s, model 0.4 s)
before it cleans anything, and at 20 MB, about 10 s of cleaning for one worker, that fixed cost
alone holds two workers to about 1.6x; a corpus of millions of documents never sees it.

Builds the corpus in a temporary directory (seed documents with paragraphs dropped, reordered
and numbered lines added, so no two documents are equal), runs ``service.batch.clean_corpus``
once per worker count, and reports documents/s, MB/s of UTF-8 input, the speed-up over one
worker (target: 2 workers >= 1.7x one worker) and the peak resident memory and CPU time of each
worker process (``getrusage`` in the worker). On a machine shared with other jobs the wall-clock
speed-up mostly measures the other jobs, so the CPU-bound speed-up is printed too: one worker's
CPU time over the busiest worker's CPU time (both with start-up and model loading), i.e. the
speed-up on otherwise idle cores. Times are end to end: process start-up, model loading,
reading, cleaning and writing the shards. A table goes to stderr, the JSON to stdout or --json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a script: python bench/...

from service.batch import BatchOptions, clean_corpus  # noqa: E402
from service.settings import MODELS_DIR_DEFAULT, REPO_ROOT  # noqa: E402

SPEEDUP_TARGET = 1.7


def build_corpus(path: Path, target_bytes: int, seed: int = 7) -> tuple[int, int]:
    """Write ``target_bytes`` or more of JSONL; returns ``(documents, bytes)``."""
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8").split("\n") for p in sorted((REPO_ROOT / "seeds").glob("*.txt"))]
    n = size = 0
    with open(path, "wb") as fh:
        while size < target_bytes:
            lines = list(seeds[n % len(seeds)])
            body = [i for i, line in enumerate(lines) if len(line) > 40]
            for i in sorted(rng.sample(body, k=min(2, len(body))), reverse=True):
                del lines[i]
            if len(body) > 4:
                a, b = rng.sample(range(len(lines)), 2)
                lines[a], lines[b] = lines[b], lines[a]
            lines.insert(rng.randrange(len(lines)), f"编号{n}：第{rng.randrange(1000)}次转载，阅读{rng.randrange(99999)}次。")
            rec = {"id": f"bench-{n:07d}", "url": f"https://site{n % 40}.example.cn/a/{n}.html", "text": "\n".join(lines), "n": n}
            data = json.dumps(rec, ensure_ascii=False).encode("utf-8") + b"\n"
            fh.write(data)
            size += len(data)
            n += 1
    return n, size


def write_report(result: dict, path: Path | None, ensure_ascii: bool = True) -> None:
    """The JSON report (``indent=1``) to ``path``, or to stdout without one (shared by the bench scripts)."""
    text = json.dumps(result, ensure_ascii=ensure_ascii, indent=1)
    if path:
        path.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def run(src: Path, out: Path, workers: int, models_dir: Path) -> dict[str, object]:
    self0, kids0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()[0]
    t = time.perf_counter()
    summary = clean_corpus(src, out, BatchOptions(workers=workers, progress=False, shard_size=2000), models_dir=models_dir)
    seconds = time.perf_counter() - t
    cpu_parent = _cpu(resource.RUSAGE_SELF) - self0
    cpu_workers = _cpu(resource.RUSAGE_CHILDREN) - kids0  # workers are reaped when the pool shuts down
    mb = src.stat().st_size / 1e6
    rss = summary["this_run"]["worker_peak_rss_mb"]  # type: ignore[index]
    return {
        "workers": workers,
        "documents": summary["in"],
        "seconds": round(seconds, 2),
        "docs_per_s": round(int(summary["in"]) / seconds, 1),  # type: ignore[arg-type]
        "mb_per_s": round(mb / seconds, 3),
        "worker_peak_rss_mb": sorted(rss.values()),  # type: ignore[union-attr]
        "worker_cpu_s": sorted(summary["this_run"]["worker_cpu_s"].values()),  # type: ignore[index]
        "cpu_s_parent": round(cpu_parent, 1),
        "cpu_s_workers": round(cpu_workers, 1),
        "load_avg_1m_before": round(load0, 2),
        "rejected": summary["rejected"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=40.0, help="corpus size in MB (default 40)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--models-dir", type=Path, default=None)
    ap.add_argument("--json", type=Path, help="write the JSON here instead of stdout")
    args = ap.parse_args(argv)
    models_dir = args.models_dir or Path(os.environ.get("JINGWEN_MODELS_DIR") or MODELS_DIR_DEFAULT)

    with tempfile.TemporaryDirectory(prefix="jingwen-batch-bench-") as tmp:
        src = Path(tmp) / "corpus.jsonl"
        docs, size = build_corpus(src, int(args.mb * 1e6))
        print(f"corpus: {docs} documents, {size / 1e6:.1f} MB ({src})", file=sys.stderr)
        rows = []
        for w in args.workers:
            rows.append(run(src, Path(tmp) / f"out-{w}", w, models_dir))
            print(f"  {w} worker(s): {rows[-1]['seconds']} s", file=sys.stderr)
    base = rows[0]["seconds"]
    base_cpu = max(rows[0]["worker_cpu_s"])  # type: ignore[type-var]
    for r in rows:
        r["speedup"] = round(base / r["seconds"], 2)  # type: ignore[operator]
        # On a machine shared with other work the wall clock says little; the busiest worker's CPU
        # time (start-up and model loading included) is what the wall clock would be on idle cores.
        r["speedup_cpu_bound"] = round(base_cpu / max(r["worker_cpu_s"]), 2)  # type: ignore[type-var, operator]
    result = {
        "corpus": {"documents": docs, "mb": round(size / 1e6, 2)},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_avg_1m": round(os.getloadavg()[0], 2)},
        "models_dir": str(models_dir),
        "runs": rows,
        "speedup_target": SPEEDUP_TARGET,
        "parent_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(
        f"\n{'workers':>8} {'seconds':>9} {'docs/s':>9} {'MB/s':>8} {'speed-up':>9} {'CPU-bound':>10} {'CPU s parent':>13}"
        f" {'CPU s per worker':>18}  peak RSS per worker (MB)",
        file=sys.stderr,
    )
    for r in rows:
        print(
            f"{r['workers']:>8} {r['seconds']:>9} {r['docs_per_s']:>9} {r['mb_per_s']:>8} {r['speedup']:>8}x"
            f" {r['speedup_cpu_bound']:>9}x {r['cpu_s_parent']:>13} {str(r['worker_cpu_s']):>18}  {r['worker_peak_rss_mb']}",
            file=sys.stderr,
        )
    print(f"(load average before the runs: {[r['load_avg_1m_before'] for r in rows]} on {os.cpu_count()} CPUs; "
          "other processes on the machine take CPU from the workers)", file=sys.stderr)
    write_report(result, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
