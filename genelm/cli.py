"""The `genelm` command line (Typer).  Errors print one clear line, never a traceback."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from genelm.cli_graph import graph_app
from genelm.connectors.errors import GenelmError

app = typer.Typer(help="Ask the public omics databases a question; every sentence cites its record.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
snapshot_app = typer.Typer(help="Recorded responses: import and list what replays offline.", no_args_is_help=True)
app.add_typer(snapshot_app, name="snapshot")
app.add_typer(graph_app, name="graph")

RecordingsOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--recordings", help="A recordings file or folder to replay from (repeatable)."),
]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Replay only: recordings and the bundled snapshot, no network.")]
LlmOpt = Annotated[Optional[str], typer.Option(
    "--llm", help="auto (default), grounded, openai:<model>, anthropic:<model>, ollama:<model>, gguf:<path> or smollm2.")]


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"genelm: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain language.")],
    offline: OfflineOpt = False,
    recordings: RecordingsOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
    mode: Annotated[Optional[str], typer.Option(help="Network mode: live, record, replay or auto.")] = None,
    record_to: Annotated[Optional[Path], typer.Option(help="In record mode, append responses to this JSONL file.")] = None,
    add_to_graph: Annotated[bool, typer.Option("--add-to-graph", help="MERGE the answer's records into the knowledge graph.")] = False,
    llm: LlmOpt = None,
    thread: Annotated[Optional[str], typer.Option("--thread", help="A conversation id: follow-ups ('and in K562?') "
                                                                    "resolve against its earlier questions.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", help="Let libraries (TensorFlow, transformers, tqdm) print "
                                                            "their own logs and progress bars.")] = False,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Write the locus figure of a regulation answer "
                                                                "(gene model, TSSs, cCREs, CAGE/RAMPAGE, TF and "
                                                                "DNase peaks) to this .png or .svg file.")] = None,
    lang: Annotated[Optional[str], typer.Option("--lang", help="The answer's language: auto (default: the "
                                                               "question's), en, zh or ko.")] = None,
) -> None:
    """Answer a question with cited evidence."""
    from genelm import quiet

    quiet.apply(verbose)  # before the import below can pull in TensorFlow or transformers
    from genelm.agent.api import ask as run_ask

    _startup_imports_done()

    overrides = {}
    if mode:
        if mode not in ("live", "record", "replay", "auto"):
            _fail(f"--mode must be live, record, replay or auto, not '{mode}'")
        overrides["mode"] = mode
    if record_to:
        overrides["record_to"] = record_to
    if lang:
        if lang not in ("auto", "en", "zh", "ko"):
            _fail(f"--lang must be auto, en, zh or ko, not '{lang}'")
        overrides["lang"] = lang
    try:
        answer = _ask_with_progress(run_ask, question, show=not as_json and sys.stderr.isatty(), offline=offline,
                                    recordings=recordings, llm=llm, thread_id=thread, **overrides)
    except GenelmError as exc:
        _fail(str(exc))
        return
    if as_json:
        typer.echo(answer.to_json())
    else:
        typer.echo(answer.to_markdown())
        for warning in answer.warnings:
            typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    if plot is not None:
        if plot.suffix.lower() not in (".png", ".svg"):
            _fail(f"--plot {plot}: name a .png or .svg file")
        try:
            written = answer.locus_figure(plot)
        except GenelmError as exc:
            _fail(f"the locus figure was not written: {exc}")
            return
        if written is None:
            typer.secho("note: no locus figure: the answer holds no gene regulation evidence", err=True)
        else:
            typer.secho(f"locus figure written to {written}", err=True)
    if add_to_graph:
        from genelm.graph.build import add_evidence

        try:
            nodes, rels = add_evidence(answer.evidence)
        except GenelmError as exc:
            _fail(f"the answer was not added to the graph: {exc}")
            return
        typer.secho(f"added to the knowledge graph: {nodes} nodes, {rels} relationships", err=True)


def _ask_with_progress(run_ask, question: str, show: bool, **kwargs):
    """On a terminal, show what is being queried while the answer is built (on stderr, so pipes stay clean)."""
    if not show:
        return run_ask(question, **kwargs)
    from rich.console import Console

    from genelm.agent.core.events import progress_line

    with Console(stderr=True).status("Understanding the question…") as status:
        written: list[str] = []

        def on_event(event: dict) -> None:
            if event.get("event") == "token":
                written.append(event["text"])
                status.update("Writing: " + "".join(written)[-100:].replace("\n", " "))
                return
            line = progress_line(event)
            if line:
                status.update(line[:120])

        return run_ask(question, on_event=on_event, **kwargs)


@app.command()
def chat(
    host: Annotated[str, typer.Option(help="Address to bind; the default keeps the chat on this machine.")] = "127.0.0.1",
    port: Annotated[Optional[int], typer.Option(help="Port (default: Gradio picks 7860 or the next free one).")] = None,
    offline: OfflineOpt = False,
) -> None:
    """Open the chat in a browser tab (Gradio): progress, cited answers, evidence panel, export."""
    try:
        from genelm.ui.app import launch
    except ImportError as exc:
        _fail(f"the chat needs the ui extra ({exc.name} is missing): pip install 'genelm[ui]'")
        return
    if port is not None and not 1 <= port <= 65535:
        _fail(f"--port must be 1-65535, not {port}")
    launch(host=host, port=port, offline=offline)


@snapshot_app.command("import")
def snapshot_import(
    files: Annotated[list[Path], typer.Argument(help="Recordings: JSONL lines, {url, response} lines or JSON documents.")],
    into: Annotated[Optional[Path], typer.Option(help="Snapshot file to merge into (default: <cache>/recordings/imported.jsonl).")] = None,
    url: Annotated[Optional[str], typer.Option(help="The request URL a single bare JSON document answers.")] = None,
    base_url: Annotated[Optional[str], typer.Option(help="Host for documents whose @id is a path.")] = None,
) -> None:
    """Import recordings so they replay offline."""
    from genelm.connectors.snapshot import import_files
    from genelm.settings import Settings

    settings = Settings()
    target = into or settings.cache_dir / "recordings" / "imported.jsonl"
    try:
        read, total = import_files(files, target, url=url, base_url=base_url, secrets=settings.secrets())
    except GenelmError as exc:
        _fail(str(exc))
        return
    typer.echo(f"imported {read} recordings into {target} ({total} in the file)")
    if into is None:
        typer.echo(f"replay them with: genelm ask '…' --offline --recordings {target}")


@snapshot_app.command("list")
def snapshot_list(recordings: RecordingsOpt = None) -> None:
    """List the bundled snapshot (and any --recordings) by host."""
    from genelm.connectors.http import bundled_snapshot
    from genelm.connectors.recordings import RecordingStore
    from genelm.connectors.snapshot import describe
    from genelm.data import snapshot_dir

    typer.echo(f"bundled snapshot: {snapshot_dir()}")
    for host, count in describe(bundled_snapshot()):
        typer.echo(f"  {host:32s} {count:5d}")
    for path in recordings or []:
        store = RecordingStore()
        try:
            store.add_path(path)
        except GenelmError as exc:
            _fail(str(exc))
        typer.echo(f"{path}:")
        for host, count in describe(store):
            typer.echo(f"  {host:32s} {count:5d}")


@snapshot_app.command("refresh-encode")
def snapshot_refresh_encode(
    out: Annotated[Path, typer.Option(help="Where to write the refreshed export (TSV.gz).")],
    assembly: Annotated[str, typer.Option(help="Assembly filter for files.")] = "GRCh38",
) -> None:
    """Download the live portal's file report (needs network), the source for a refreshed offline index."""
    from genelm.connectors.encode_refresh import refresh_file_export

    try:
        rows = refresh_file_export(out, assembly=assembly)
    except GenelmError as exc:
        _fail(str(exc))
        return
    typer.echo(f"wrote {rows} file rows from the live portal to {out}")


@app.command("eval")
def eval_cmd(
    suites: Annotated[list[Path], typer.Argument(help="Suite JSONL files ({suite, task, question, answer} lines), or `diff RUN_A RUN_B`.")],
    offline: OfflineOpt = False,
    recordings: RecordingsOpt = None,
    out: Annotated[Path, typer.Option(help="Folder for manifest.json, results.jsonl, report.md and report.html.")] = Path("eval-runs/latest"),
    limit: Annotated[Optional[int], typer.Option(help="Only the first N questions.")] = None,
    per_task: Annotated[Optional[int], typer.Option("--per-task", help="Only the first N questions of each task.")] = None,
    llm: Annotated[Optional[str], typer.Option("--llm", help="Plan and write with this model (default: grounded; "
                                                              "evals never pick a model on their own).")] = None,
) -> None:
    """Run evaluation suites (`genelm eval SUITE…`), or compare two runs (`genelm eval diff A B`)."""
    from rich.console import Console
    from rich.table import Table

    from genelm.evals.runner import diff_runs, run_eval

    console = Console()
    if suites and str(suites[0]) == "diff":
        if len(suites) != 3:
            _fail("usage: genelm eval diff RUN_A RUN_B")
        try:
            changes = diff_runs(suites[1], suites[2])
        except GenelmError as exc:
            _fail(str(exc))
            return
        from genelm.evals.diff_view import diff_view

        console.print(diff_view(changes, suites[1], suites[2]))
        return
    try:
        with console.status("evaluating…") as status:
            done = [0]

            def progress(_result):
                done[0] += 1
                status.update(f"evaluating… {done[0]} questions")

            rows, manifest = run_eval(suites, out, offline=offline, recordings=recordings, limit=limit, progress=progress,
                                      llm=llm, first_of_each_task=per_task)
    except GenelmError as exc:
        _fail(str(exc))
        return
    table = Table("suite", "task", "n", "score", "answered", "cited OK", title=f"genelm eval ({manifest['network_mode']})")
    for r in rows:
        table.add_row(r["suite"], r["task"], str(r["n"]), f"{r['score']:.3f}", str(r["answered"]), f"{r['citations_ok']:.0%}")
    console.print(table)
    console.print(f"mean over tasks: {manifest['mean_over_tasks']:.3f}   results in {out} (open {out / 'report.html'})")
    if manifest.get("planned_by"):
        console.print(f"{manifest['mode']}: questions planned by {manifest['planned_by']}")


@app.command()
def mcp(
    offline: OfflineOpt = False,
    recordings: RecordingsOpt = None,
) -> None:
    """Serve genelm's tools over MCP (stdio) for any MCP client (Claude Desktop, IDEs, agents)."""
    try:
        from genelm.agent.mcp_server import serve_stdio
    except ImportError as exc:
        _fail(f"the MCP server needs the mcp package ({exc.name} is missing): pip install 'genelm[llm]'")
        return
    serve_stdio(offline=offline, recordings=recordings)


knowledge_app = typer.Typer(help="Gene-knowledge retrieval (RefSeq summaries, ENCODE experiments) in Chroma.",
                            no_args_is_help=True)
app.add_typer(knowledge_app, name="knowledge")


@knowledge_app.command("build")
def knowledge_build() -> None:
    """Load the bundled vectors into the Chroma collection under the cache dir (done on first use otherwise)."""
    from genelm.connectors.knowledge import knowledge_index
    from genelm.settings import Settings

    with _status("Loading the gene-knowledge collection…"):
        index = knowledge_index(Settings().cache_dir)
    typer.echo(f"{index.collection.count()} documents in {Settings().cache_dir / 'knowledge'}")


@knowledge_app.command("search")
def knowledge_search(
    text: Annotated[str, typer.Argument(help="A description of function, e.g. 'DNA mismatch repair'.")],
    k: Annotated[int, typer.Option(help="How many hits.")] = 10,
    experiments: Annotated[bool, typer.Option("--experiments", help="Search ENCODE experiments, not genes.")] = False,
) -> None:
    """Genes (or ENCODE experiments) whose description matches, with similarity scores."""
    from genelm.connectors.knowledge import knowledge_index
    from genelm.settings import Settings

    if not 1 <= k <= 50:
        _fail(f"--k must be 1-50, not {k}")
    with _status("Searching…"):
        hits = knowledge_index(Settings().cache_dir).search(text, k, "encode_experiment" if experiments else "gene")
    for doc, similarity in hits:
        typer.echo(f"{similarity:.3f}  {doc.accession:14s} {doc.label}")


models_app = typer.Typer(help="Local sequence models: Enformer weights, splice and gLM scoring.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("install")
def models_install(
    name: Annotated[str, typer.Argument(help="The model: enformer.")],
    source: Annotated[Path, typer.Option("--from", help="A folder with config.json and the weights "
                                                         "(pytorch_model.bin or model.safetensors).")],
) -> None:
    """Copy model weights you downloaded into genelm's cache (genelm never downloads weights itself)."""
    import shutil

    from genelm.models.enformer import load_enformer
    from genelm.models.weights import weights_sha256
    from genelm.settings import Settings

    if name != "enformer":
        _fail(f"unknown model {name!r}; installable: enformer")
    if not (source / "config.json").exists():
        _fail(f"{source} has no config.json; give the folder of the Hugging Face snapshot")
    target = Settings().cache_dir / "models" / "enformer"
    staging = target.with_name("enformer.partial")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    try:
        with _status("Checking that the weights load…"):
            load_enformer(explicit=staging)
    except GenelmError as exc:
        shutil.rmtree(staging, ignore_errors=True)  # nothing half-installed
        _fail(f"not installed: {exc}")
        return
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    typer.echo(f"installed Enformer weights in {target} (sha256 {weights_sha256(target)[:16]})")


@models_app.command("status")
def models_status() -> None:
    """What is installed: Enformer weights, the gLM, CI-SpliceAI, TensorFlow, torch and the device policy."""
    import importlib.util

    from genelm.models.enformer import weights_dir
    from genelm.settings import Settings

    settings = Settings()
    found = weights_dir(settings.cache_dir, settings.enformer_weights)
    typer.echo(f"Enformer weights: {found or 'not installed (genelm models install enformer --from PATH)'}")
    typer.echo(f"genomic LM: {settings.glm_model or 'not configured (GENELM_GLM_MODEL)'}")
    for package in ("torch", "enformer_pytorch", "cispliceai", "tensorflow", "pyBigWig", "pyfaidx"):
        typer.echo(f"{package}: {'installed' if importlib.util.find_spec(package) else 'missing'}")
    if importlib.util.find_spec("torch"):
        from genelm.models.enformer import device_policy

        policy = device_policy()
        typer.echo(f"device policy: {policy.device}, {policy.autocast_dtype or 'fp32'}, batch {policy.batch_size}")


def _status(message: str):
    from rich.console import Console

    return Console(stderr=True).status(message)


@app.command()
def doctor(
    offline: OfflineOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """What this installation can do: bundled data and dates, recordings, graph, models, LLM; online, API drift."""
    from genelm.doctor import render, run_doctor
    from genelm.settings import Settings

    report = run_doctor(Settings(), online=not offline)
    typer.echo(report.to_json() if as_json else render(report))
    if report.drift:
        raise typer.Exit(1)


_GC_DEFERRED = False


def _startup_imports_done() -> None:
    """Collect garbage again, past the imports (see main); the imported modules are frozen out of later passes."""
    import gc

    global _GC_DEFERRED
    if _GC_DEFERRED:
        _GC_DEFERRED = False
        gc.freeze()
        gc.enable()


def main() -> None:  # pragma: no cover - console entry
    import gc

    global _GC_DEFERRED
    from genelm import quiet

    # Library verbosity is read from the environment at import time, so it is set before anything imports.
    quiet.apply(verbose="--verbose" in sys.argv[1:])
    if sys.argv[1:2] == ["ask"]:
        # Importing the answer path creates ~10^5 long-lived objects (pydantic models, LangGraph); the cyclic
        # collector re-scans them over and over meanwhile, about a fifth of a cold answer's CPU time.  It is
        # off for the imports only: ask() turns it back on right after them (_startup_imports_done).
        gc.disable()
        _GC_DEFERRED = True
    try:
        app()
    except GenelmError as exc:
        typer.secho(f"genelm: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
