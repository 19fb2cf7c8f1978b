"""In-process cleaning speed, model load time and memory of one worker.

Targets (issue 2): >= 3 MB/s of UTF-8 end to end in one process (about 500 documents of 6 KB per
second), model load < 1 s, one worker < 500 MB resident.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from service import Cleaner, load_model  # noqa: E402
from service.settings import MODELS_DIR_DEFAULT, REPO_ROOT  # noqa: E402


def corpus(target_bytes: int = 6 * 1024 * 1024, doc_bytes: int = 6 * 1024) -> list[str]:
    """~6 KB documents cut from the seeds at paragraph boundaries, rotated so no two are equal."""
    paragraphs = [
        line for p in sorted((REPO_ROOT / "seeds").glob("*.txt")) for line in p.read_text("utf-8").splitlines() if line.strip()
    ]
    docs: list[str] = []
    total = 0
    i = 0
    while total < target_bytes:
        doc: list[str] = []
        size = 0
        while size < doc_bytes:
            line = paragraphs[i % len(paragraphs)]
            doc.append(line)
            size += len(line.encode("utf-8")) + 1
            i += 7
        text = "\n".join(doc)
        docs.append(text)
        total += len(text.encode("utf-8"))
    return docs


def main() -> dict[str, object]:
    models_dir = Path(os.environ.get("JINGWEN_MODELS_DIR") or MODELS_DIR_DEFAULT)
    started = time.perf_counter()
    model = load_model(models_dir)
    load_seconds = time.perf_counter() - started
    cleaner = Cleaner(model)
    docs = corpus()
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    cleaner.clean_many(docs[:64])  # warm-up
    started = time.perf_counter()
    cleaner.clean_many(docs)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    for d in docs[:200]:
        cleaner.clean(d)
    single = (time.perf_counter() - started) / 200
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "model": model.path.name,
        "model_load_s": round(load_seconds, 3),
        "documents": len(docs),
        "megabytes": round(megabytes, 2),
        "docs_per_s": round(len(docs) / seconds, 1),
        "mb_per_s": round(megabytes / seconds, 2),
        "single_doc_ms": round(single * 1000, 2),
        "peak_rss_mb": round(rss_mb, 1),
    }
    return result


if __name__ == "__main__":
    out = main()
    print(json.dumps(out, indent=1))
    sys.exit(0)
