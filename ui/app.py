"""The Gradio chat: ask, watch the sources being queried, read a cited answer, check the evidence, export.

Bound to 127.0.0.1 and with Gradio's analytics off unless the user says otherwise.
Works in grounded mode with no LLM; shows an offline banner when answers come
from recordings and the bundled snapshot only.
"""
from __future__ import annotations

import os

# Before gradio is imported: it reads this once.  No usage data leaves the user's machine.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import tempfile  # noqa: E402
import uuid
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402

from genelm.agent.api import ask_stream  # noqa: E402
from genelm.agent.core.events import progress_line  # noqa: E402
from genelm.connectors.errors import GenelmError  # noqa: E402
from genelm.ui.genome_browser import IGV_DIR, chat_view  # noqa: E402
from genelm.ui.render import chat_markdown, evidence_html, export_files, plot_frame, progress_markdown  # noqa: E402

EXAMPLES = [
    "Describe how TP53 is regulated in K562",
    "Which transcription factors bind the MYC promoter?",
    "哪些转录因子在人类肝脏中表达上调？",
    "간에서 특이적으로 발현되는 전사인자는?",
    "What is the official gene symbol of SNAT6?",
    "Which ENCODE experiments target ARID3A in HepG2 on hg19?",
    "What regulatory evidence is there at rs229784 on GRCh37?",
    "What genes and cCREs are in chr17:43,000,000-43,200,000?",
    "Which ENCODE experiments profile POLR2A in GM12878?",
    "What is the function of the gene associated with SNP rs1241371358?",
]
OFFLINE_BANNER = ("<div class='banner' id='offline-banner'><b>Offline.</b> Answers come from recorded responses and "
                  "the snapshot bundled with genelm; no database is contacted. Untick <i>Offline</i> in Settings to "
                  "query the live sources.</div>")
# Chinese and Korean answers: a CJK font stack after the Latin faces (Noto CJK is what .ci/run installs).
CJK_FONTS = ('"Noto Sans CJK SC", "Noto Sans CJK KR", "Noto Sans SC", "Noto Sans KR", "Source Han Sans SC", '
             '"Source Han Sans K", "PingFang SC", "Apple SD Gothic Neo", "Microsoft YaHei", "Malgun Gothic", '
             '"WenQuanYi Micro Hei", "Nanum Gothic"')
CSS = """
.gradio-container {max-width: 1400px !important}
.gradio-container, #chat, #question textarea, #evidence-panel {font-family: ui-sans-serif, system-ui, -apple-system,
  "Segoe UI", Roboto, "Helvetica Neue", Arial, """ + CJK_FONTS + """, sans-serif !important}
#title h1 {margin: 0; font-size: 1.6rem}
#title p {margin: .2rem 0 0; color: #555}
.banner {background: #fff7e0; border: 1px solid #f0c36d; border-radius: 8px; padding: .5rem .8rem; color: #5c4400}
#evidence-panel table.evidence {width: 100%; border-collapse: collapse; font-size: .86rem}
#evidence-panel th {text-align: left; border-bottom: 2px solid #ddd; padding: .3rem}
#evidence-panel td {vertical-align: top; border-bottom: 1px solid #eee; padding: .35rem .3rem}
#evidence-panel td.n {font-weight: 700; color: #1f5fa8}
#evidence-panel .src, #evidence-panel .acc {color: #666; font-size: .78rem}
#evidence-panel code {font-size: .78rem; word-break: break-all}
.evidence-empty {color: #777; padding: 1rem}
#chat a[title] {color: #1f5fa8; font-weight: 600; text-decoration: none; font-size: .85em; vertical-align: super}
#chat blockquote {color: #7a5a00; border-left: 3px solid #f0c36d; margin: .3rem 0; padding-left: .6rem}
"""


@dataclass
class ChatSession:
    """One browser tab's conversations: threads by name, and the last answer of each."""

    threads: dict[str, list[dict]] = field(default_factory=lambda: {"Thread 1": []})
    answers: dict[str, object] = field(default_factory=dict)
    current: str = "Thread 1"
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])  # this tab's threads on disk are its own

    def thread_id(self) -> str:
        return f"chat-{self.id}-{self.current}"

    def new_thread(self) -> str:
        name = f"Thread {len(self.threads) + 1}"
        self.threads[name] = []
        self.current = name
        return name


def _recordings(text: str | None) -> list[str]:
    paths = [p.strip() for p in (text or "").replace("\n", ",").split(",") if p.strip()]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise GenelmError(f"recordings path {', '.join(missing)} does not exist; give .jsonl files or folders")
    return paths


def locus_figure(answer, folder: Path) -> str | None:
    """The regulation locus figure of an answer, written beside its exports; None when it has none."""
    try:
        written = answer.locus_figure(folder / "locus.png")
    except GenelmError:  # matplotlib missing: the Plot tab keeps its chart, the answer is unaffected
        return None
    return str(written) if written else None


def answer_chart(answer, folder: Path) -> str | None:
    """The chart the answer calls for (expression bars, factors x cell lines, a comparison), as a PNG; or None."""
    try:
        from genelm.regulation.charts import save_chart

        written = save_chart(answer, folder / "chart.png")
    except ImportError:  # matplotlib missing: no chart, the answer is unaffected
        return None
    return str(written) if written else None


# The genome-browser pages of this process's answers; served with igv.js as Gradio static paths.
BROWSER_VIEWS = Path(tempfile.mkdtemp(prefix="genelm-igv-"))


def answer_question(question: str, session: ChatSession, offline: bool, recordings: str, llm: str,
                    lang: str = "auto"):
    """The chat's handler: yields (chat, evidence, plot, locus, chart, browser, trace, md, json, html, session)
    as work proceeds."""
    history = session.threads.setdefault(session.current, [])
    question = (question or "").strip()
    if not question:
        yield history, *(gr.update(),) * 9, session
        return
    history.append({"role": "user", "content": question})
    history.append({"role": "assistant", "content": "**Working…**"})
    events: list[dict] = []
    keep = (gr.update(),) * 9
    try:
        kwargs = {"offline": offline, "recordings": _recordings(recordings) or None,
                  "llm": (llm or "").strip() or None, "thread_id": session.thread_id(),
                  "lang": lang if lang in ("auto", "en", "zh", "ko") else "auto"}
        for event in ask_stream(question, **kwargs):
            if event["event"] == "answer":
                answer = event["answer"]
                session.answers[session.current] = answer
                finished = [progress_line(e) for e in events if e["event"] == "tool_end"]
                history[-1] = {"role": "assistant", "content": chat_markdown(answer, finished)}
                frame, title = plot_frame(answer)
                files = export_files(answer)
                figure = locus_figure(answer, files["html"].parent)
                chart = answer_chart(answer, files["html"].parent)
                view = chat_view(answer, BROWSER_VIEWS)
                yield (history, evidence_html(answer), gr.update(value=frame, title=title, visible=not frame.empty),
                       gr.update(value=figure, visible=figure is not None),
                       gr.update(value=chart, visible=chart is not None),
                       gr.update(value=view or BROWSER_EMPTY, visible=view is not None),
                       answer.trace, files["markdown"], files["json"], files["html"], session)
                return
            events.append(event)
            history[-1] = {"role": "assistant", "content": progress_markdown(events)}
            yield (history, *keep, session)
    except GenelmError as exc:  # bad input or settings: say what and how to fix it, no traceback
        history[-1] = {"role": "assistant", "content": f"**genelm could not answer:** {exc}"}
        yield (history, *keep, session)


BROWSER_EMPTY = ("<div id='igv-empty' class='evidence-empty'>A regulation answer opens its gene's locus here "
                 "(igv.js with the bundled tracks, offline).</div>")


def build_app(offline: bool = True) -> gr.Blocks:
    # igv.js and the browser pages are served by the app itself (inline, with HTTP Range support).
    gr.set_static_paths([IGV_DIR, BROWSER_VIEWS])
    with gr.Blocks(title="genelm — cited answers from omics databases") as app:
        session = gr.State(ChatSession())
        gr.HTML("<div id='title'><h1>genelm</h1><p>Ask the public omics databases. Every sentence cites the record it "
                "rests on.</p></div>")
        banner = gr.HTML(OFFLINE_BANNER, visible=offline)
        with gr.Row():
            with gr.Column(scale=3):
                with gr.Row():
                    thread = gr.Dropdown(["Thread 1"], value="Thread 1", label="Conversation", scale=4,
                                         elem_id="thread")
                    new_thread = gr.Button("New thread", scale=1, size="sm")
                chat = gr.Chatbot(label="genelm", height=560, elem_id="chat", buttons=["copy"],
                                  feedback_options=None, placeholder="Ask about a gene, a variant, a region, an "
                                  "ENCODE experiment or a GEO series.")
                with gr.Row():
                    box = gr.Textbox(placeholder="e.g. What regulatory evidence is there at rs229784 on GRCh37?",
                                     show_label=False, scale=6, elem_id="question", autofocus=True)
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                gr.Examples(EXAMPLES, inputs=box, label="Examples that work offline")
            with gr.Column(scale=2):
                with gr.Tab("Evidence"):
                    evidence = gr.HTML(evidence_html(None))
                with gr.Tab("Plot"):
                    locus = gr.Image(label="Locus: gene model, TSSs, cCREs, CAGE/RAMPAGE, TF and DNase peaks",
                                     type="filepath", visible=False, elem_id="locus", interactive=False)
                    frame, title = plot_frame(None)
                    plot = gr.BarPlot(frame, x="what", y="count", color="source", title=title, x_label_angle=-30,
                                      height=360, elem_id="plot")
                    chart = gr.Image(label="The chart the question calls for", type="filepath", visible=False,
                                     elem_id="chart", interactive=False)
                with gr.Tab("Trace"):
                    trace = gr.JSON(label="calls, timings, cache and replay hits")
                with gr.Tab("Export"):
                    gr.Markdown("The last answer, with its citations and evidence ledger:")
                    md_file = gr.DownloadButton("Markdown", elem_id="export-md")
                    json_file = gr.DownloadButton("JSON", elem_id="export-json")
                    html_file = gr.DownloadButton("HTML (self-contained)", elem_id="export-html")
                with gr.Accordion("Settings", open=False):
                    offline_box = gr.Checkbox(offline, label="Offline (replay recordings and the bundled snapshot)",
                                              elem_id="offline")
                    recordings = gr.Textbox(label="Extra recordings (.jsonl files or folders, comma-separated)")
                    llm = gr.Textbox(label="LLM: auto (default), grounded, openai:<model>, anthropic:<model>, "
                                     "ollama:<model>, gguf:<path> or smollm2. The trace says which ran and why.",
                                     elem_id="llm")
                    lang = gr.Dropdown([("auto (the question's language)", "auto"), ("English", "en"),
                                        ("中文", "zh"), ("한국어", "ko")], value="auto",
                                       label="Answer language", elem_id="lang")
        with gr.Row():  # full width: the locus reads better wide than in the side column
            browser = gr.HTML(BROWSER_EMPTY, elem_id="igv-view", visible=False)
        outputs = [chat, evidence, plot, locus, chart, browser, trace, md_file, json_file, html_file, session]
        inputs = [box, session, offline_box, recordings, llm, lang]
        for trigger in (send.click, box.submit):
            trigger(answer_question, inputs, outputs).then(lambda: "", None, box)
        offline_box.change(lambda on: gr.update(visible=on), offline_box, banner)

        def start_thread(s: ChatSession):
            name = s.new_thread()
            return gr.update(choices=list(s.threads), value=name), [], evidence_html(None), s

        def switch_thread(name: str, s: ChatSession):
            s.current = name
            return s.threads.get(name, []), evidence_html(s.answers.get(name)), s

        new_thread.click(start_thread, session, [thread, chat, evidence, session])
        thread.change(switch_thread, [thread, session], [chat, evidence, session])
    return app


def launch(host: str = "127.0.0.1", port: int | None = None, offline: bool = True) -> None:
    build_app(offline).launch(server_name=host, server_port=port, css=CSS, footer_links=[], quiet=True,
                              theme=gr.themes.Soft(primary_hue="blue"))
