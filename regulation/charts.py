"""The chart an answer calls for, drawn from its own evidence (the chat's Plot tab, ``Answer.chart()``).

- expression (``hpa:<gene>``, ``gtex:<gene>``): TPM across tissues as horizontal bars, HPA and GTEx side by
  side, the top tissues of each with the gene's median over all tissues marked;
- bound factors (``chip2015:<cell>:<gene>``, ``peaks:<ENCFF>:<gene>``): factors x cell lines as a matrix (a
  filled cell: the 2015 gene set of that factor in that cell line lists the gene, or a bundled GRCh38 peak
  file has a peak at its promoter);
- a regulation dossier holding both: the matrix and the expression bars in one figure;
- a comparison (``answer.table``): its numeric column per row as bars.

``chart_kind(answer)`` says which (or None); ``draw_chart(answer)`` returns a matplotlib Figure or None;
``save_chart(answer, path)`` writes a PNG.  matplotlib is imported only inside the drawing functions.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TOP_TISSUES = 15
MAX_FACTORS = 40
_SOURCES = {"hpa": "Human Protein Atlas v18", "gtex": "GTEx (TissueEnrich)"}


def _kind(e) -> str:
    return e.key.split(":", 1)[0]


def _expression(answer) -> list:
    return [e for e in answer.evidence if _kind(e) in _SOURCES and e.records and "tpm" in e.records[0]]


def _factor_items(answer) -> list:
    return [e for e in answer.evidence if _kind(e) == "chip2015" or (_kind(e) == "peaks"
                                                                    and e.params.get("assay") == "TF ChIP-seq")]


def _numeric_columns(rows: list[dict]) -> list[str]:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    return [c for c in columns if all(isinstance(row.get(c), (int, float)) and not isinstance(row.get(c), bool)
                                      for row in rows)]


def chart_kind(answer) -> str | None:
    """'comparison', 'factors+expression', 'factors', 'expression' or None."""
    if answer is None:
        return None
    if answer.table and _numeric_columns(answer.table):
        return "comparison"
    factors = any(e.records for e in _factor_items(answer))
    expression = bool(_expression(answer))
    if factors and expression:
        return "factors+expression"
    return "factors" if factors else "expression" if expression else None


def factor_matrix(answer) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    """(factors, cell lines, {(factor, cell): how}) from the answer's factor evidence; how is 'set', 'peak' or both."""
    cells: dict[str, None] = {}
    marks: dict[tuple[str, str], str] = {}
    for e in _factor_items(answer):
        if _kind(e) == "chip2015":
            for cell in e.params.get("profiled_biosamples") or ([e.params["biosample"]] if e.params.get("biosample")
                                                               else []):
                cells.setdefault(cell)
            for r in e.records:
                cells.setdefault(r["biosample"])
                key = (r["tf"], r["biosample"])
                marks[key] = "set" if marks.get(key) in (None, "set") else "set+peak"
        else:
            cell = str(e.params.get("biosample") or "").upper()
            target = e.params.get("target")
            if not cell or not target:
                continue
            cells.setdefault(cell)
            if e.records:
                key = (target, cell)
                marks[key] = "peak" if marks.get(key) in (None, "peak") else "set+peak"
    counts: dict[str, int] = {}
    for tf, _ in marks:
        counts[tf] = counts.get(tf, 0) + 1
    factors = sorted(counts, key=lambda f: (-counts[f], f))[:MAX_FACTORS]
    columns = sorted(c for c in cells if any((f, c) in marks for f in factors)) or sorted(cells)
    return sorted(factors), columns, marks


def _gene(answer) -> str:
    for e in answer.evidence:
        if e.params.get("gene"):
            return str(e.params["gene"])
    return ""


def _draw_matrix(ax, answer) -> None:
    from matplotlib.patches import Patch, Rectangle

    factors, cells, marks = factor_matrix(answer)
    colours = {"set": "#4c72b0", "peak": "#dd8452", "set+peak": "#55a868"}
    grid = [[marks.get((f, c)) for c in cells] for f in factors]
    for i, row in enumerate(grid):
        for j, how in enumerate(row):
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=colours.get(how, "#f2f2f2"), edgecolor="white", lw=1))
    ax.set_xlim(0, len(cells))
    ax.set_ylim(len(factors), 0)
    ax.set_xticks([j + 0.5 for j in range(len(cells))], cells, rotation=35, ha="right", fontsize=8)
    ax.set_yticks([i + 0.5 for i in range(len(factors))], factors, fontsize=7 if len(factors) > 20 else 8)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_title(f"Factors bound near {_gene(answer)}'s promoter, by cell line", fontsize=10, loc="left")
    present = [k for k in colours if any(k == how for row in grid for how in row)]
    labels = {"set": "ENCODE 2015 gene set lists the gene (hg19-era)", "peak": "bundled GRCh38 peak at the promoter",
              "set+peak": "both"}
    ax.legend(handles=[Patch(color=colours[k], label=labels[k]) for k in present], fontsize=7, frameon=False,
              loc="upper left", bbox_to_anchor=(0, -0.12 if len(cells) < 6 else -0.2))


def _draw_expression(axes, answer) -> None:
    items = {_kind(e): e for e in _expression(answer)}
    colours = {"hpa": "#4c72b0", "gtex": "#c44e52"}
    for ax, source in zip(axes, [s for s in _SOURCES if s in items]):
        recs = [r for r in items[source].records if r.get("tpm") is not None]
        values = sorted(r["tpm"] for r in recs)
        median = values[len(values) // 2] if values else 0.0
        top = sorted(recs, key=lambda r: -r["tpm"])[:TOP_TISSUES][::-1]
        ax.barh([r["tissue"] for r in top], [r["tpm"] for r in top], color=colours[source])
        ax.axvline(median, color="black", lw=0.8, ls="--")
        ax.text(median, -0.9, f" median {median:,.3g}", fontsize=7, va="center")
        for y, r in enumerate(top):
            ax.text(r["tpm"], y, f" {r['tpm']:,.3g}", fontsize=7, va="center")
        ax.set_xlabel("TPM", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(f"{_SOURCES[source]}: top {len(top)} of {len(recs)} tissues", fontsize=9, loc="left")
        ax.set_xlim(0, (top[-1]["tpm"] if top else 1) * 1.25 or 1)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)


def _draw_comparison(ax, answer) -> None:
    rows = answer.table
    numeric = _numeric_columns(rows)
    labels_of = [c for c in dict.fromkeys(k for row in rows for k in row) if c not in numeric]
    varying = [c for c in labels_of if len({str(row.get(c)) for row in rows}) > 1] or labels_of[:1]
    labels = [" · ".join(str(row.get(c, "")) for c in varying) for row in rows]
    column = numeric[0]
    ax.barh(labels[::-1], [row[column] for row in rows][::-1], color="#4c72b0")
    for y, row in enumerate(rows[::-1]):
        ax.text(row[column], y, f" {row[column]:,}", va="center", fontsize=8)
    fixed = {c: rows[0].get(c) for c in labels_of if c not in varying}
    ax.set_xlabel(column, fontsize=9)
    ax.set_title(" · ".join(str(v) for v in fixed.values() if v not in (None, "")) + f": {column} per "
                 + " / ".join(varying), fontsize=10, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def draw_chart(answer) -> "Figure | None":
    """The chart ``chart_kind`` names for this answer, or None when the answer calls for none."""
    kind = chart_kind(answer)
    if kind is None:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if kind == "comparison":
        fig = Figure(figsize=(8, 1.4 + 0.4 * len(answer.table)), layout="constrained")
        _draw_comparison(fig.add_subplot(), answer)
    elif kind == "expression":
        n = len(_expression(answer))
        fig = Figure(figsize=(5.2 * n, 4.6), layout="constrained")
        _draw_expression(fig.subplots(1, n, squeeze=False)[0], answer)
        fig.suptitle(f"{_gene(answer)} RNA expression across tissues", fontsize=11, x=0.01, ha="left")
    elif kind == "factors":
        factors, cells, _ = factor_matrix(answer)
        fig = Figure(figsize=(max(4.5, 1.2 + 0.9 * len(cells)), 1.8 + 0.22 * len(factors)), layout="constrained")
        _draw_matrix(fig.add_subplot(), answer)
    else:
        factors, cells, _ = factor_matrix(answer)
        n = len(_expression(answer))
        fig = Figure(figsize=(3.5 + 0.8 * len(cells) + 4.6 * n, max(4.8, 1.8 + 0.22 * len(factors))),
                     layout="constrained")
        grid = fig.add_gridspec(1, 1 + n, width_ratios=[max(1.0, 0.35 * len(cells))] + [1.6] * n)
        _draw_matrix(fig.add_subplot(grid[0, 0]), answer)
        _draw_expression([fig.add_subplot(grid[0, 1 + i]) for i in range(n)], answer)
    FigureCanvasAgg(fig)
    return fig


def save_chart(answer, path: str | Path, dpi: int = 110) -> Path | None:
    """Write the answer's chart as PNG to ``path``; None (and nothing written) when it calls for none."""
    fig = draw_chart(answer)
    if fig is None:
        return None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=dpi)
    return path
