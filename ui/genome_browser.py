"""The genome browser (igv.js, bundled) over a gene's locus: a served page for the chat, an inline view for Jupyter.

igv.js 3.8.10 comes from the npm package ``igv`` (``static/igv/``: igv.min.js, its MIT LICENSE and SOURCES.md);
nothing loads it from a CDN.  The tracks are the bundled files over the locus
(``genelm.regulation.browser_tracks``).  Offline by construction: ``loadDefaultGenomes: false`` (no genome
list from igv.org), ``search: false`` (no search web service; the gene track is searchable, so gene names
are found locally) and a local FASTA reference.

- Chat: ``write_view(locus, folder, script_src)`` writes ``index.html`` and one BED/bedGraph/narrowPeak file
  per track into ``folder``; the Gradio app serves the folder and ``static/igv`` as static paths
  (``/gradio_api/file=…``, which answers HTTP Range requests) and shows the page in an iframe.
- Jupyter: ``GenomeBrowserView`` (``show(gene)``, ``Answer.genome_browser()``) renders an iframe whose
  ``srcdoc`` holds the page with igv.min.js and every track inlined as data: URIs, so it works with no
  server and keeps igv.js's styles out of the notebook.

The page marks its state for tests and scripts: ``document.body.dataset.igv`` is ``loading``, ``ready`` or
``error``; ``window.genelmBrowser`` is the igv.js browser once created.
"""
from __future__ import annotations

import base64
import gzip
import html
import json
import uuid
from pathlib import Path

from genelm.regulation.browser_tracks import Locus, browser_locus, igv_options

IGV_DIR = Path(__file__).resolve().parent / "static" / "igv"
IGV_JS = IGV_DIR / "igv.min.js"
IGV_VERSION = "3.8.10"

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{font-family: system-ui, sans-serif; margin: 0; padding: 6px 8px; background: #fff}}
#genelm-igv-head {{font-size: 13px; color: #333; margin: 0 0 4px}}
#genelm-igv-head b {{color: #1f3a93}}
#genelm-igv-note {{font-size: 11px; color: #666; margin: 4px 0 0}}
#genelm-igv-error {{color: #a00; font-size: 13px}}
</style>
{script}
</head><body data-igv="loading">
<div id="genelm-igv-head"><b>{gene}</b> · {locus} · GRCh38 · igv.js {version}, offline: bundled tracks only</div>
<div id="genelm-igv"></div>
<div id="genelm-igv-error"></div>
<div id="genelm-igv-note">{note}</div>
<script>
(function () {{
  const options = {options};
  const mark = (state) => {{ document.body.dataset.igv = state; }};
  if (typeof igv === "undefined") {{
    mark("error");
    document.getElementById("genelm-igv-error").textContent = "igv.js did not load";
    return;
  }}
  igv.createBrowser(document.getElementById("genelm-igv"), options).then(function (browser) {{
    window.genelmBrowser = browser;
    const names = options.tracks.map(t => t.name);
    const loaded = browser.tracks.filter(t => names.includes(t.name));
    document.body.dataset.tracks = String(loaded.length);
    mark("ready");
  }}).catch(function (error) {{
    mark("error");
    document.getElementById("genelm-igv-error").textContent = "igv.js: " + error;
  }});
}})();
</script>
</body></html>
"""


def _note(locus: Locus) -> str:
    sources = "; ".join(f"{t.name}: {t.source}" for t in locus.tracks)
    lo, hi = locus.window
    return html.escape(f"Tracks hold the bundled rows over {locus.chrom}:{lo:,}-{hi:,}. Reference: "
                       f"{locus.reference_note}. Files: {sources}.")


def page_html(locus: Locus, options: dict, script: str) -> str:
    """The browser page.  ``script`` is the <script> element that provides igv.js (a src or inlined)."""
    # json.dumps, then break "</" so no value can close the <script> element early.
    blob = json.dumps(options).replace("</", "<\\/")
    return _PAGE.format(title=html.escape(f"{locus.gene} · genelm genome browser"), script=script,
                        gene=html.escape(locus.gene), locus=html.escape(locus.locus), version=IGV_VERSION,
                        note=_note(locus), options=blob)


def write_view(locus: Locus, folder: Path, script_src: str) -> Path:
    """Write the track files, the reference and index.html for ``locus`` into ``folder``; returns index.html.

    Track URLs are relative to the page, so whatever serves the folder serves them."""
    folder.mkdir(parents=True, exist_ok=True)
    urls = {}
    for track in locus.tracks:
        (folder / track.filename).write_text(track.text, encoding="utf-8")
        urls[track.filename] = track.filename
    (folder / "reference.fa").write_text(locus.reference_fasta, encoding="ascii")
    options = igv_options(locus, urls, "reference.fa")
    page = folder / "index.html"
    script = f'<script src="{html.escape(script_src)}"></script>'
    page.write_text(page_html(locus, options, script), encoding="utf-8")
    return page


def _data_uri(text: str) -> str:
    # igv.js reads base64 data: URIs, gunzipping those whose type says gzip.
    return "data:application/gzip;base64," + base64.b64encode(gzip.compress(text.encode(), mtime=0)).decode()


def inline_page(locus: Locus) -> str:
    """The page with igv.min.js and every track inlined: needs no server and fetches nothing."""
    urls = {t.filename: _data_uri(t.text) for t in locus.tracks}
    options = igv_options(locus, urls, _data_uri(locus.reference_fasta))
    return page_html(locus, options, f"<script>{IGV_JS.read_text(encoding='utf-8')}</script>")


class GenomeBrowserView:
    """A gene's locus in igv.js for Jupyter: displays itself as a self-contained iframe."""

    def __init__(self, locus: Locus, height: int = 640):
        self.locus, self.height = locus, height

    @property
    def tracks(self) -> list[str]:
        return [t.name for t in self.locus.tracks]

    def to_html(self) -> str:
        """The whole page (igv.js and the tracks inlined), e.g. to save as a file and open in a browser."""
        return inline_page(self.locus)

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.to_html(), encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        frame = f"genelm-igv-{uuid.uuid4().hex[:10]}"
        return (f'<iframe id="{frame}" class="genelm-igv" title="{html.escape(self.locus.gene)} genome browser" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                f'srcdoc="{html.escape(self.to_html(), quote=True)}"></iframe>')

    def __repr__(self) -> str:
        return f"GenomeBrowserView({self.locus.gene} {self.locus.locus}, {len(self.locus.tracks)} tracks)"


def show(gene_or_answer, height: int = 640) -> GenomeBrowserView:
    """The igv.js view of a gene (a symbol, alias or ENSG) or of a regulation answer's gene."""
    gene = gene_or_answer
    if not isinstance(gene_or_answer, str):
        from genelm.regulation.browser_tracks import answer_gene

        gene = answer_gene(gene_or_answer.evidence)
        if gene is None:
            from genelm.connectors.errors import InputError

            raise InputError("this answer names no gene locus (no tss:<gene> evidence); ask a regulation question "
                             "or call show('TP53')")
    return GenomeBrowserView(browser_locus(gene), height)


def chat_view(answer, root: Path, height: int = 860) -> str | None:
    """The chat's browser panel for an answer: the view written under ``root`` (a Gradio static path) and an
    iframe that loads it from the app itself; None when the answer names no gene locus."""
    from urllib.parse import quote

    from genelm.connectors.errors import GenelmError
    from genelm.regulation.browser_tracks import answer_gene

    gene = answer_gene(answer.evidence)
    if gene is None:
        return None
    try:
        locus = browser_locus(gene)
    except GenelmError:
        return None
    page = write_view(locus, root / uuid.uuid4().hex[:16], "/gradio_api/file=" + quote(str(IGV_JS)))
    return (f'<iframe id="igv-frame" title="{html.escape(locus.gene)} genome browser" '
            f'src="/gradio_api/file={quote(str(page))}" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd;border-radius:6px"></iframe>')
