"""The on-disk cache of parsed bundled tables: right key, atomic entries, corrupted entries rebuilt.

Timings live in benchmarks/startup.py; these tests check behaviour only.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import subprocess
import sys

import pytest

from genelm.data import disk_cache
from genelm.data.disk_cache import cached


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "table.tsv"
    path.write_text("a\t1\nb\t2\n")
    return path


def parse_counting(path, calls):
    def build():
        calls.append(1)
        return dict(line.split("\t") for line in path.read_text().splitlines())
    return build


def test_a_table_is_parsed_once_then_read_back(tmp_path, source):
    calls = []
    first = cached(source, parse_counting(source, calls), version="1", name="t", cache_dir=tmp_path / "c")
    again = cached(source, parse_counting(source, calls), version="1", name="t", cache_dir=tmp_path / "c")
    assert first == again == {"a": "1", "b": "2"}
    assert len(calls) == 1
    assert len(list((tmp_path / "c").glob("t-*.pickle"))) == 1


def test_changed_content_or_code_version_rebuilds_and_drops_the_stale_entry(tmp_path, source):
    calls = []
    cached(source, parse_counting(source, calls), version="1", name="t", cache_dir=tmp_path / "c")
    stat = source.stat()
    source.write_text("a\t9\nb\t2\n")  # same size, and the old mtime put back: only the content differs
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    disk_cache._digests.clear()  # a new process has no memo of the old digest
    assert cached(source, parse_counting(source, calls), version="1", name="t", cache_dir=tmp_path / "c") == \
        {"a": "9", "b": "2"}
    assert cached(source, parse_counting(source, calls), version="2", name="t", cache_dir=tmp_path / "c") == \
        {"a": "9", "b": "2"}
    assert len(calls) == 3
    assert len(list((tmp_path / "c").glob("t-*.pickle"))) == 1  # only the current entry is kept


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_corrupted_entry_is_rebuilt_with_a_warning(tmp_path, source, caplog, damage):
    calls = []
    cached(source, parse_counting(source, calls), version="1", name="t", cache_dir=tmp_path / "c")
    entry = next((tmp_path / "c").glob("t-*.pickle"))
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) - 7])
    elif damage == "flip":  # the payload still unpickles, to a different value: only the checksum notices
        payload = pickle.dumps({"a": "1", "b": "3"}, protocol=pickle.HIGHEST_PROTOCOL)
        entry.write_bytes(data[: len(data) - len(payload)] + payload)
    else:
        entry.write_bytes(b"not a cache entry")
    with caplog.at_level(logging.WARNING, logger="genelm.data.disk_cache"):
        value = cached(source, parse_counting(source, calls), version="1", name="t", cache_dir=tmp_path / "c")
    assert value == {"a": "1", "b": "2"}
    assert len(calls) == 2
    assert any("unreadable" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    # The rebuilt entry is whole again: the next read uses it.
    cached(source, parse_counting(source, calls), version="1", name="t", cache_dir=tmp_path / "c")
    assert len(calls) == 2


def test_an_unwritable_cache_dir_costs_speed_not_the_answer(tmp_path, source, caplog):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    with caplog.at_level(logging.WARNING, logger="genelm.data.disk_cache"):
        value = cached(source, parse_counting(source, []), version="1", name="t", cache_dir=blocker / "c")
    assert value == {"a": "1", "b": "2"}
    assert any("could not store" in r.getMessage() for r in caplog.records)


def test_disabled_cache_parses_every_time_and_writes_nothing(tmp_path, source, monkeypatch):
    monkeypatch.setenv("GENELM_DISK_CACHE", "0")
    monkeypatch.setenv("GENELM_CACHE_DIR", str(tmp_path / "home"))
    calls = []
    cached(source, parse_counting(source, calls), version="1")
    cached(source, parse_counting(source, calls), version="1")
    assert len(calls) == 2
    assert not (tmp_path / "home").exists()


def test_default_location_is_tables_under_the_cache_dir(tmp_path, source, monkeypatch):
    monkeypatch.setenv("GENELM_CACHE_DIR", str(tmp_path / "home"))
    cached(source, parse_counting(source, []), version="1", name="t")
    assert list((tmp_path / "home" / "tables").glob("t-*.pickle"))


def test_a_missing_bundled_file_names_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="reinstall genelm"):
        cached(tmp_path / "gone.tsv.gz", dict, version="1", cache_dir=tmp_path / "c")


def test_cached_gene_and_interval_tables_equal_freshly_parsed_ones():
    from genelm import data
    from genelm.data import intervals

    table = data.gene_table()  # through the disk cache
    assert [dataclasses.astuple(g) for g in table.genes] == data._gene_rows()
    assert table.symbol("SLC38A6").gene_id == "145389"
    assert "SNAT6" in table.symbol("SLC38A6").synonyms
    assert [dataclasses.astuple(g) for g in data.ensembl_genes()] == data._ensembl_rows()
    k562 = intervals.ccre_index("K562")
    assert [dataclasses.astuple(iv) for iv in sorted(k562, key=lambda iv: iv.row)] == \
        intervals._ccre_rows(intervals.CCRE_DIR / intervals.CCRE_FILES["K562"])


def test_a_new_process_answers_from_the_disk_cache(tmp_path):
    """Two fresh processes: the first writes the tables, the second reads them (and answers the same)."""
    env = {**os.environ, "GENELM_CACHE_DIR": str(tmp_path)}
    code = ("import genelm; a = genelm.ask('What is the official gene symbol of SNAT6?', offline=True); "
            "print(a.short_answer)")
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    written = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "tables").glob("*.pickle")}
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.strip() == second.stdout.strip() == "SLC38A6"
    assert {name.split("-")[0] for name in written} >= {"gene_table", "ensembl_genes", "encode_index_summary"}
    # The second process read every table back: it rewrote (rebuilt) none of them.
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "tables").glob("*.pickle")} == written
