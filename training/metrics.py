"""Evaluation numbers, by paragraph (line) and by character, the way corpus builders count loss."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from service.settings import KEEP_DEFAULT, LABELS


def evaluate(
    true: Sequence[str],
    pred: Sequence[str],
    lengths: Sequence[int],
    keep: Sequence[str] = KEEP_DEFAULT,
) -> dict[str, object]:
    """Per-label precision/recall/F1, confusion matrix, content kept and junk removed per label.

    ``lengths`` are paragraph lengths in characters; every measure is given by line and by char.
    The keep/remove F1 treats "kept" as the positive class: its recall is content kept.
    """
    t = np.asarray(true)
    p = np.asarray(pred)
    chars = np.asarray(lengths, dtype=np.float64)
    out: dict[str, object] = {"paragraphs": int(len(t)), "chars": int(chars.sum())}
    for unit, w in (("line", np.ones(len(t))), ("char", chars)):
        per: dict[str, dict[str, float]] = {}
        for label in LABELS:
            tp = float(w[(t == label) & (p == label)].sum())
            fp = float(w[(t != label) & (p == label)].sum())
            fn = float(w[(t == label) & (p != label)].sum())
            prec = tp / (tp + fp) if tp + fp else float("nan")
            rec = tp / (tp + fn) if tp + fn else float("nan")
            f1 = 2 * prec * rec / (prec + rec) if tp else (0.0 if fp + fn else float("nan"))
            per[label] = {"precision": prec, "recall": rec, "f1": f1, "support": float(w[t == label].sum())}
        kept_pred = np.isin(p, keep)
        kept_true = np.isin(t, keep)
        kept_ok = float(w[kept_pred & kept_true].sum())
        k_prec = kept_ok / float(w[kept_pred].sum()) if kept_pred.any() else float("nan")
        k_rec = kept_ok / float(w[kept_true].sum()) if kept_true.any() else float("nan")
        removed = {
            label: (float(w[(t == label) & ~kept_pred].sum()) / float(w[t == label].sum()))
            if (t == label).any()
            else float("nan")
            for label in LABELS
            if label not in keep
        }
        out[unit] = {
            "per_label": per,
            "content_kept": k_rec,
            "removed": removed,
            "keep_f1": 2 * k_prec * k_rec / (k_prec + k_rec) if k_prec + k_rec else 0.0,
            "confusion": {a: {b: float(w[(t == a) & (p == b)].sum()) for b in LABELS} for a in LABELS},
        }
    return out


def format_report(report: dict[str, object], title: str = "") -> str:
    """A fixed-width table of the numbers a user compares models by."""
    lines = [title] if title else []
    lines.append(f"paragraphs {report['paragraphs']}, characters {report['chars']}")
    for unit in ("line", "char"):
        r = report[unit]  # type: ignore[index]
        lines.append(f"  by {unit}:  keep F1 {r['keep_f1']:.4f}  content kept {r['content_kept']:.4f}  " + "  ".join(
            f"{k} removed {v:.4f}" for k, v in r["removed"].items() if v == v
        ))
        for label, m in r["per_label"].items():
            if m["support"]:
                lines.append(
                    f"    {label:<10} P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}  support {m['support']:.0f}"
                )
    conf = report["line"]["confusion"]  # type: ignore[index]
    lines.append("  confusion (lines; rows true, columns predicted): " + " ".join(f"{c[:7]:>8}" for c in LABELS))
    for a in LABELS:
        lines.append(f"    {a:<10}" + " ".join(f"{conf[a][b]:>8.0f}" for b in LABELS))
    return "\n".join(lines)
