"""No unscoped negative reaches a user (issue #18): every template that can say no/none/not found names where
genelm looked (a source, file, table, export, portal or search) or points at the gap that says why.

The walk reads every sentence template (the first argument of ``Synthesis.say``/``note``) in agent/, so a new
template that says "nothing was found" without saying where fails here.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import genelm

AGENT = Path(__file__).resolve().parents[1] / "agent"
NEGATIVE = re.compile(r"\b(?:no|none|not found|nothing)\b", re.I)
SCOPE = re.compile(r"NCBI|dbSNP|ENCODE|RegulomeDB|UCSC|BLAST|BLAT|GEO|HPA|Protein Atlas|GTEx|GENCODE|Ensembl|bundled|"
                   r"file|portal|table|export|Enformer|OMIM|SCREEN|graph|RefSeq|gene sets|SpliceAI|model|search|"
                   r"Lambert|hits?\b|record|CAGE|RAMPAGE|reference|recording|gap", re.I)
NOT_ABOUT_DATA = re.compile(r"^No assembly was named")


def _templates(node: ast.AST) -> list[str]:
    """Every sentence a say/note argument can produce: both branches of a conditional expression, and the English
    message inside a translation call (``tr("…", …)``, ``_("…")``, ``ngettext("…", "…", n).format(…)``)."""
    if isinstance(node, ast.IfExp):
        return _templates(node.body) + _templates(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _templates(node.func.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "_", "ngettext"):
        return [t for arg in node.args[:2 if node.func.id == "ngettext" else 1] for t in _templates(arg)]
    text = _template(node)
    return [text] if text else []


def _template(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return (_template(node.left) or "") + (_template(node.right) or "")
    return None


def negative_templates() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(AGENT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr in ("say", "note") and node.args:
                for text in _templates(node.args[0]):
                    if NEGATIVE.search(text) and not NOT_ABOUT_DATA.search(text):
                        found.append((path.name, node.lineno, text))
    return found


def test_every_negative_template_names_where_genelm_looked():
    templates = negative_templates()
    assert len(templates) > 20  # the walk finds the templates (it would pass vacuously otherwise)
    unscoped = [t for t in templates if not SCOPE.search(t[2])]
    assert not unscoped, unscoped


def test_the_h3k27ac_k562_negative_is_scoped_to_the_bundled_exports():
    answer = genelm.ask("Which ENCODE experiments profile H3K27ac in K562?", offline=True)
    text = " ".join(s.text for s in answer.sentences)
    assert "No ENCODE experiment was found" not in text
    assert "ENCODE metadata exports bundled with genelm" in text and "2019-10-04" in text
    assert "live ENCODE portal was not queried (offline)" in text


def test_a_mouse_question_is_not_answered_from_human_tables():
    answer = genelm.ask("mouse liver DNase-seq experiments in ENCODE", offline=True)
    assert answer.trace["frame"]["constraints"]["organism"] == ["Mus musculus"]
    text = " ".join(s.text for s in answer.sentences)
    assert "human experiments only" in text and not answer.short_answer
