"""Answer in Jupyter: docs/example.ipynb executed by a real kernel (nbclient + ipykernel), and the repr itself."""
from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from genelm.agent.answer import Answer, SentenceOut
from genelm.evidence import Evidence

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "example.ipynb"


class _Links(HTMLParser):
    """Citation links (href="#…") and the ids and data-keys of the elements they may point at."""

    def __init__(self):
        super().__init__()
        self.cites: list[tuple[str, str, str]] = []  # (target id, title key, text)
        self.targets: dict[str, str | None] = {}
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.targets[a["id"]] = a.get("data-key")
        if tag == "a" and (a.get("href") or "").startswith("#"):
            self._open = {"href": a["href"][1:], "title": a.get("title"), "text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.cites.append((self._open["href"], self._open["title"], self._open["text"]))
            self._open = None


def _parse(fragment: str) -> _Links:
    parser = _Links()
    parser.feed(fragment)
    return parser


def test_the_example_notebook_runs_offline_in_a_real_kernel_and_renders_citation_links(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    # The kernel is a child process and inherits this environment: its own cache, nothing of the user's.
    monkeypatch.setenv("GENELM_CACHE_DIR", str(tmp_path / "cache"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()

    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    html_outputs = [o["data"]["text/html"] for c in notebook.cells if c.cell_type == "code" for o in c.outputs
                    if o.output_type == "execute_result" and "text/html" in o.get("data", {})
                    and "genelm-answer" in o["data"]["text/html"]]
    assert len(html_outputs) == 2, "both answers should display as rich HTML"
    snat6 = _parse(html_outputs[0])
    assert "SLC38A6" in html_outputs[0]
    assert snat6.cites, "the answer has no citation links"
    for target, key, text in snat6.cites:
        assert re.fullmatch(r"\[\d+\]", text)
        assert snat6.targets.get(target) == key  # [n] points at the evidence row of the key it names
    assert {key for _, key, _ in snat6.cites} == {"ncbi:gene-search:SNAT6"}
    assert "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi?db=gene&amp;id=145389" in html_outputs[0]
    encode = _parse(html_outputs[1])
    assert encode.cites and all(encode.targets.get(t) == k for t, k, _ in encode.cites)
    # Two answers in one notebook: their anchors must not collide, or [1] of one would jump into the other.
    assert not set(snat6.targets) & set(encode.targets)
    # The genome browser: igv.js inlined into a self-contained iframe, offline options, the bundled tracks.
    igv = [o["data"]["text/html"] for c in notebook.cells if c.cell_type == "code" for o in c.outputs
           if o.output_type == "execute_result" and "genelm-igv" in o.get("data", {}).get("text/html", "")]
    assert len(igv) == 1 and igv[0].startswith("<iframe") and "srcdoc=" in igv[0]
    page = __import__("html").unescape(igv[0])
    assert "igv.createBrowser" in page and '"loadDefaultGenomes": false' in page and '"search": false' in page
    assert "Genes (Ensembl 110)" in page and "cCREs PLS K562" in page and '"searchable": true' in page
    assert not re.search(r"<script[^>]+src=", page)  # nothing loaded from elsewhere
    # The new figures: the locus figure, the dossier's chart and an expression chart, as PNGs.
    pngs = [o["data"]["image/png"] for c in notebook.cells if c.cell_type == "code" for o in c.outputs
            if "image/png" in o.get("data", {})]
    assert len(pngs) >= 3 and all(base64.b64decode(p)[:4] == b"\x89PNG" for p in pngs)
    # The ask tool's artifact made it through the kernel too.
    last = notebook.cells[-1].outputs
    assert any("ncbi:gene-search:SNAT6" in str(o.get("data", {}).get("text/plain", "")) for o in last)


def _answer_with_plot(tmp_path) -> Answer:
    png = tmp_path / "overlay.png"
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1], [0, 1])
    fig.savefig(png)
    model = Evidence(key="model:overlay:abc", source="model:enformer", title="Enformer vs measured <H3K27ac>",
                     sha256="0" * 64, records=[{"plot": str(png), "pearson": 0.5}], origin="model")
    api = Evidence(key="ncbi:x", source="ncbi", title="A record that names a local file", url="javascript:alert(1)",
                   sha256="1" * 64, records=[{"plot": str(png)}])
    return Answer(question="Predicted vs measured <b>?</b>", short_answer="0.5",
                  sentences=[SentenceOut(text="Pearson r is 0.5 <script>x</script>.", citations=["model:overlay:abc"]),
                             SentenceOut(text="Said by the API.", citations=["ncbi:x"])],
                  evidence=[model, api])


def test_repr_embeds_model_figures_escapes_api_text_and_never_links_non_web_urls(tmp_path):
    answer = _answer_with_plot(tmp_path)
    page = answer._repr_html_()
    embedded = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)
    assert len(embedded) == 1  # the model's plot, not the file an API record named
    assert base64.b64decode(embedded[0]).startswith(b"\x89PNG")
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>?</b>" not in page
    assert "javascript:" not in re.findall(r'href="([^"]*)"', page).__str__()
    links = _parse(page)
    assert [k for _, k, _ in links.cites] == ["model:overlay:abc", "ncbi:x"]
    assert all(links.targets[t] == k for t, k, _ in links.cites)
    markdown = answer._repr_markdown_()
    assert "![Enformer vs measured &lt;H3K27ac&gt;](data:image/png;base64," in markdown
    assert "<script>" not in markdown and "javascript:" not in markdown
    assert "[1]" in markdown and "[2]" in markdown
