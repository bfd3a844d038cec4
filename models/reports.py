"""Human-readable training artifacts: confusion-matrix plot and classification report."""

from __future__ import annotations

from pathlib import Path

import numpy as np

GRADE_LABELS = ["1 closed", "2 strong", "3 clear", "4 none"]


def confusion_plot(matrix: list[list[int]], title: str, path: Path) -> Path:
    """A labelled confusion-matrix heat map as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = np.asarray(matrix)
    figure, axes = plt.subplots(figsize=(5, 4.2))
    axes.imshow(counts, cmap="Blues")
    axes.set_xticks(range(4), GRADE_LABELS, rotation=30, ha="right")
    axes.set_yticks(range(4), GRADE_LABELS)
    axes.set_xlabel("predicted grade")
    axes.set_ylabel("manager's grade")
    axes.set_title(title)
    threshold = counts.max() / 2 if counts.size else 0
    for row in range(4):
        for column in range(4):
            axes.text(column, row, str(counts[row, column]), ha="center", va="center",
                      color="white" if counts[row, column] > threshold else "black")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def classification_report_text(metrics: dict, title: str) -> str:
    """Per-grade precision / recall / F1 in a fixed-width table."""
    lines = [title, "", f"{'grade':<12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for grade, label in zip(("1", "2", "3", "4"), GRADE_LABELS):
        row = metrics["per_grade"][grade]
        lines.append(f"{label:<12}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}{row['support']:>10}")
    lines.append("")
    lines.append(f"macro-F1 {metrics['macro_f1']:.3f}   accuracy {metrics['accuracy']:.3f}")
    if "fraud_precision" in metrics:
        lines.append(f"fraud precision {metrics['fraud_precision']:.3f}   fraud recall {metrics['fraud_recall']:.3f}"
                     f"   (frauds: {metrics.get('fraud_support', '?')})")
    if "brier" in metrics:
        lines.append(f"Brier score {metrics['brier']:.3f}")
    return "\n".join(lines) + "\n"


def confusion_csv(matrix: list[list[int]], path: Path) -> Path:
    """Long-format confusion matrix (actual, predicted, count), the shape DVC plots read."""
    rows = ["actual,predicted,count"]
    for actual in range(4):
        for predicted in range(4):
            rows.append(f"{actual + 1},{predicted + 1},{matrix[actual][predicted]}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
