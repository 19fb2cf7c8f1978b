"""Load benchmark of the HTTP service against in-process cleaning of the same document.

Starts ``jingwen serve`` (1 worker) on a free loopback port, sends a fixed number of
``POST /v1/clean`` requests with a ~10 KB document built from seed 002 at each concurrency
(default 1, 8, 32), then stops. Reports p50/p99 latency, requests/s and errors per level as JSON
(stdout, or ``--json FILE``) and a table (stderr), next to the in-process throughput of
``Cleaner.clean`` on the same document in one thread (what one worker process can use).

    .venv/bin/python bench/http_load.py [--models-dir DIR] [--requests 300] [--concurrency 1 8 32]

Targets: p99 < 20 ms at concurrency 1; throughput at concurrency 8 >= 80 % of in-process.
Every loop is bounded by a request count and a time limit; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from service.settings import MODELS_DIR_DEFAULT  # noqa: E402

DOC_BYTES = 10 * 1024
TIME_LIMIT_S = 120.0
"""No level runs longer than this, whatever --requests says."""


def build_document(target_bytes: int = DOC_BYTES) -> str:
    """Whole lines of seed 002 (spam, breadcrumb, byline, article) until ~``target_bytes`` of UTF-8."""
    lines = next((REPO / "seeds").glob("002_*.txt")).read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    size = 0
    i = 0
    while size < target_bytes:
        line = lines[i % len(lines)]
        out.append(line)
        size += len(line.encode("utf-8")) + 1
        i += 1
    return "\n".join(out)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(models_dir: Path, port: int, log_path: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JINGWEN_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jingwen", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--models-dir", str(models_dir)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=open(log_path, "wb"), env=env,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; see {log_path}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"server not ready after 90 s; see {log_path}")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class _Connection:
    """One keep-alive HTTP/1.1 connection that POSTs a fixed body: a load generator in the manner of
    wrk, so the latency measured is the server's and the loopback's, not a Python client library's
    (httpx's per-request work ran on the same two cores and added about a millisecond)."""

    def __init__(self, host: str, port: int, path: str, body: bytes) -> None:
        self.host, self.port = host, port
        self.request = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("ascii") + body
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self) -> int:
        """The response's status; the whole body is read, so the next request can follow."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(self.request)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        fields = dict(line.split(":", 1) for line in head[1:] if ":" in line)
        length = {k.strip().lower(): v.strip() for k, v in fields.items()}.get("content-length")
        if length is None:
            raise ConnectionError(f"response without Content-Length: {head[0]}")
        await self.reader.readexactly(int(length))
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()
            self.writer = None


async def load(url: str, body: bytes, concurrency: int, requests: int) -> dict[str, object]:
    """``requests`` requests from ``concurrency`` connections, each sending its next request when
    the previous one is answered (closed loop)."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = time.monotonic() + TIME_LIMIT_S
    target = httpx.URL(url)
    connections = [_Connection(target.host, target.port or 80, "/v1/clean", body) for _ in range(concurrency)]

    async def one_client(conn: _Connection) -> None:
        nonlocal issued, errors
        while issued < requests and time.monotonic() < deadline:
            issued += 1
            started = time.perf_counter()
            try:
                ok = await conn.post() == 200
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                ok = False
                await conn.close()  # a broken connection is reopened by the next request
            latencies.append(time.perf_counter() - started)
            errors += not ok

    try:
        for i in range(min(20, requests)):  # warm-up: connections, caches
            await connections[i % concurrency].post()
        started = time.perf_counter()
        await asyncio.gather(*(one_client(c) for c in connections))
        elapsed = time.perf_counter() - started
    finally:
        for c in connections:
            await c.close()
    return {
        "loadavg_1m": round(os.getloadavg()[0], 2),
        "concurrency": concurrency,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
    }


def in_process(models_dir: Path, text: str, requests: int) -> dict[str, object]:
    """Documents per second of ``Cleaner.clean`` on one thread (one worker's share of the cores)."""
    from threadpoolctl import threadpool_limits

    from service import Cleaner

    threadpool_limits(limits=1)
    cleaner = Cleaner.from_dir(models_dir)
    for _ in range(10):
        cleaner.clean(text)
    times: list[float] = []
    deadline = time.monotonic() + TIME_LIMIT_S
    started = time.perf_counter()
    while len(times) < requests and time.monotonic() < deadline:
        t = time.perf_counter()
        cleaner.clean(text)
        times.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    return {
        "documents": len(times),
        "docs_per_s": round(len(times) / elapsed, 1),
        "p50_ms": round(percentile(times, 0.50) * 1000, 1),
        "p99_ms": round(percentile(times, 0.99) * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models-dir", type=Path, default=Path(os.environ.get("JINGWEN_MODELS_DIR") or MODELS_DIR_DEFAULT))
    parser.add_argument("--requests", type=int, default=300, help="requests per concurrency level (default 300)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--url", help="benchmark this running service instead of starting one (loopback only)")
    parser.add_argument("--json", type=Path, help="write the JSON report here as well")
    args = parser.parse_args(argv)
    if args.url and not httpx.URL(args.url).host in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a loopback address")

    text = build_document()
    body = json.dumps({"text": text, "paragraphs": True}, ensure_ascii=False).encode("utf-8")
    report: dict[str, object] = {
        "document": {"bytes_utf8": len(text.encode("utf-8")), "chars": len(text), "paragraphs": sum(1 for x in text.split("\n") if x.strip()),
                     "request_bytes": len(body)},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "loadavg_before": os.getloadavg()},
    }
    before = in_process(args.models_dir, text, args.requests)

    proc = None
    url = args.url
    if not url:
        port = free_port()
        log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"jingwen-bench-{port}.log"
        proc = start_server(args.models_dir, port, log_path)
        url = f"http://127.0.0.1:{port}"
    try:
        levels = [asyncio.run(load(url, body, c, args.requests)) for c in args.concurrency]
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    after = in_process(args.models_dir, text, args.requests)
    # Measured before and after the HTTP levels: on a shared machine the load changes under a run.
    report["in_process"] = {
        "docs_per_s": round((before["docs_per_s"] + after["docs_per_s"]) / 2, 1),  # type: ignore[operator]
        "p50_ms": round((before["p50_ms"] + after["p50_ms"]) / 2, 1),  # type: ignore[operator]
        "p99_ms": max(before["p99_ms"], after["p99_ms"]),  # type: ignore[type-var]
        "before": before,
        "after": after,
    }
    report["http"] = levels
    base = report["in_process"]["docs_per_s"]  # type: ignore[index]
    for level in levels:
        level["vs_in_process"] = round(level["rps"] / base, 3) if base else None  # type: ignore[operator]
    report["machine"]["loadavg_after"] = os.getloadavg()  # type: ignore[index]
    c1 = next((x for x in levels if x["concurrency"] == 1), None)
    c8 = next((x for x in levels if x["concurrency"] == 8), None)
    report["targets"] = {
        "p99_ms_at_c1_below_20": None if c1 is None else c1["p99_ms"] < 20,  # type: ignore[operator]
        "rps_at_c8_at_least_80pct_of_in_process": None if c8 is None else c8["vs_in_process"] >= 0.8,  # type: ignore[operator]
    }

    out = json.dumps(report, indent=1)
    print(out)
    if args.json:
        args.json.write_text(out + "\n", encoding="utf-8")
    ip = report["in_process"]
    print(f"\ndocument: {report['document']}\nin-process (1 thread): {ip['docs_per_s']} docs/s "  # type: ignore[index]
          f"(before {ip['before']['docs_per_s']}, after {ip['after']['docs_per_s']}), "  # type: ignore[index]
          f"p50 {ip['p50_ms']} ms, p99 {ip['p99_ms']} ms", file=sys.stderr)  # type: ignore[index]
    print(f"{'conc':>5} {'reqs':>6} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs in-proc':>10} {'load 1m':>8}", file=sys.stderr)
    for x in levels:
        print(f"{x['concurrency']:>5} {x['requests']:>6} {x['errors']:>6} {x['rps']:>8} {x['p50_ms']:>8} {x['p99_ms']:>8} "
              f"{x['vs_in_process']:>10} {x['loadavg_1m']:>8}", file=sys.stderr)
    print(f"targets: {report['targets']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
