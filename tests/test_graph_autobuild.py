"""The embedded graph is built on first use (with progress), unless the user turned that off."""
from __future__ import annotations

import pytest

from genelm.graph.build import GraphNotBuilt, ensure_built, last_build, require_built
from genelm.graph.connection import GraphConnection, embedded_server
from genelm.settings import Settings


def test_with_autobuild_off_a_graph_question_says_how_to_build_it(tmp_path):
    settings = Settings(cache_dir=tmp_path, graph_autobuild=False)
    with pytest.raises(GraphNotBuilt, match="genelm graph build"):
        require_built(settings)
    with pytest.raises(GraphNotBuilt, match="graph_autobuild"):
        GraphConnection.open(settings)
    assert embedded_server(settings).running() is None  # nothing was started
    assert last_build(settings) is None


def test_the_first_use_builds_the_graph_once_reporting_progress(tmp_path, capsys):
    pytest.importorskip("arcadedb_embedded")
    from genelm.graph.adapters import transcription_factor_adapter

    settings = Settings(cache_dir=tmp_path, graph_heap="512m", graph_autobuild=True)
    seen: list[tuple[str, int]] = []
    try:
        built = ensure_built(settings, on_progress=lambda what, n: seen.append((what, n)),
                             adapters=[transcription_factor_adapter()])
        assert built["nodes"] == 1639
        assert seen and sum(n for _, n in seen) >= 1639  # rows sent, batch by batch (duplicates included)
        # Built now: opening connects without building again, and the manifest is unchanged.
        with GraphConnection.open(settings) as conn:
            assert conn.count() == (1639, 0)
        assert ensure_built(settings) == built
        assert capsys.readouterr().err == ""  # a callback was given: nothing on stderr
    finally:
        embedded_server(settings).stop()


def test_without_a_callback_progress_goes_to_stderr(tmp_path, capsys):
    pytest.importorskip("arcadedb_embedded")
    from genelm.graph.adapters import transcription_factor_adapter

    settings = Settings(cache_dir=tmp_path, graph_heap="512m", graph_autobuild=True)
    try:
        ensure_built(settings, adapters=[transcription_factor_adapter()])
    finally:
        embedded_server(settings).stop()
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("genelm: building the knowledge graph") and "graph_autobuild" in err[0]
    assert err[-1].startswith("genelm: knowledge graph built: 1,639 nodes")
