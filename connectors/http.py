"""The one HTTP layer every connector uses.

Modes (``Settings.mode``):
  live    network only;
  record  network, and every good response is appended to ``record_to``;
  replay  recordings only (``--recordings`` first, then the bundled snapshot); a
          miss raises ReplayMiss naming the request and the files searched;
  auto    on-disk cache -> network -> bundled snapshot.

Libraries do the generic work: requests-cache (on-disk cache, keyed without
secrets), pyrate-limiter (per-host limits, one acquire per network attempt so
retries are limited too) and tenacity (retries with backoff that honours
Retry-After).  What is ours: the modes, body validation and the trace.
"""
from __future__ import annotations

import json
import random
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import requests
import requests_cache
from pyrate_limiter import Duration, InMemoryBucket, Limiter, Rate, RateItem
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from genelm.connectors.errors import ReplayMiss, SourceError
from genelm.connectors.limits import Clock, default_clock
from genelm.connectors.log_redaction import register_secrets
from genelm.connectors.recordings import (KEPT_HEADERS, Recording, RecordingStore, append_recording, now_iso,
                                          read_recent_recordings)
from genelm.connectors.urls import SECRET_PARAMS, eutils_by_record, host_of, normalize_url
from genelm.settings import NetworkMode, Settings

Expect = Literal["json", "xml", "text", "bytes"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "genelm/0.1 (+https://github.com/genelm; omics question answering)"


@dataclass
class HttpResult:
    url: str  # normalised, secrets removed: safe to cite, log and store
    status: int
    body: bytes
    headers: dict
    origin: str  # live | cache | replay | snapshot
    seconds: float = 0.0
    attempts: int = 1

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class TraceEvent:
    source: str
    url: str
    origin: str
    status: int | None
    seconds: float
    attempts: int
    error: str | None = None


@dataclass
class RequestTrace:
    """Per-run log of what was fetched from where (thread-safe)."""

    events: list[TraceEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # things a user should know that are not a source's gap
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, event: TraceEvent) -> None:
        with self._lock:
            self.events.append(event)


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


# Limiters are per process, so concurrent questions share one budget per host.
_LIMITERS: dict[tuple[str, float], Limiter] = {}
_LIMITERS_LOCK = threading.Lock()


def limiter_for(host: str, per_second: float) -> Limiter:
    with _LIMITERS_LOCK:
        key = (host, per_second)
        if key not in _LIMITERS:
            if per_second >= 1:
                rate = Rate(int(per_second), Duration.SECOND)
            else:  # e.g. 0.5/s -> 1 per 2000 ms
                rate = Rate(1, int(1000 / per_second))
            _LIMITERS[key] = Limiter(rate)
        return _LIMITERS[key]


class Pacer:
    """At least ``interval_s`` between two requests, on a clock that tests can replace.

    For rules stated in seconds-to-minutes (BLAST: one request per 10 s per host, one poll per
    minute per RID) the wait is slept on ``clock`` so that a test runs it on a fake clock and checks
    the times the server saw.  The bookkeeping is pyrate-limiter's bucket, fed with that clock's times.
    """

    def __init__(self, interval_s: float, clock: Clock):
        self.interval_ms = max(1, int(round(interval_s * 1000)))
        self.bucket = InMemoryBucket([Rate(1, self.interval_ms)])
        self.clock = clock
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            while True:
                now_ms = int(self.clock.now() * 1000)
                self.bucket.leak(now_ms)
                item = RateItem("pace", now_ms)
                if self.bucket.put(item):
                    return
                delay_ms = self.bucket.waiting(item)
                self.clock.sleep(max(delay_ms, 1) / 1000)


_PACERS: dict[tuple[str, int, int], Pacer] = {}


def pacer_for(name: str, interval_s: float, clock: Clock) -> Pacer:
    """One pacer per (name, interval, clock) in the process: concurrent questions share one budget."""
    with _LIMITERS_LOCK:
        key = (name, int(round(interval_s * 1000)), id(clock))
        if key not in _PACERS:
            _PACERS[key] = Pacer(interval_s, clock)
        return _PACERS[key]


def error_message(body: bytes, limit: int = 300) -> str:
    """The source's own words from an error body.

    APIs put their message in a JSON field, often after other fields (UCSC's body starts with
    downloadTime; its message is ``error``), so a fixed-length prefix of the body can cut it off.
    """
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        for key in ("error", "ERROR", "description", "detail", "message", "title"):
            value = doc.get(key)
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())[:limit]
    return " ".join(body.decode("utf-8", "replace").split())[:limit]


@lru_cache(maxsize=1)
def bundled_snapshot() -> RecordingStore:
    """The real recorded responses shipped inside the package (loaded once)."""
    from genelm.data import snapshot_dir

    store = RecordingStore()
    folder = snapshot_dir()
    if folder.is_dir():
        store.add_path(folder)
    return store


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def check_body(body: bytes, expect: Expect) -> str | None:
    """Why this body is unusable, or None.  An HTML page where data was expected is unusable."""
    if expect == "bytes":
        return None
    head = body[:200].lstrip().lower()
    if not body.strip():
        return "empty body"
    if expect == "json":
        if head.startswith(b"<"):
            return "an HTML/XML page instead of JSON"
        try:
            json.loads(body)
        except ValueError as exc:
            return f"invalid or truncated JSON ({exc.__class__.__name__}: {str(exc)[:80]})"
    elif expect == "xml":
        if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
            return "an HTML page instead of XML"
        try:
            ET.fromstring(body)
        except ET.ParseError as exc:
            return f"invalid or truncated XML ({exc})"
    elif expect == "text":
        if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
            return "an HTML error page instead of data"
    return None


class HttpClient:
    def __init__(self, settings: Settings | None = None, trace: RequestTrace | None = None,
                 clock: Clock | None = None):
        self.settings = settings or Settings()
        self.trace = trace or RequestTrace()
        # The clock that minute-scale pacing (BLAST) sleeps on; a test passes a fake one.
        self.clock = clock if clock is not None else default_clock()
        self.user_store = RecordingStore()
        for path in self.settings.recordings:
            self.user_store.add_path(Path(path))
        # Finished BLAST reports from earlier live runs, found again by their query sequence.
        self.blast_cache = RecordingStore()
        blast_file = self.settings.cache_dir / "blast_results.jsonl"
        if self.settings.mode is NetworkMode.auto and blast_file.is_file():
            self.blast_cache.add_path(blast_file)
        # E-utilities esummary/efetch answers from earlier live runs, found again record by record (see
        # RecordingStore.lookup): ids fetched one by one answer a request for all of them, and the reverse.
        self.record_cache = RecordingStore()
        self._record_file = self.settings.cache_dir / "eutils_records.jsonl"
        if self.settings.mode is NetworkMode.auto and self._record_file.is_file():
            self.record_cache.add_all(read_recent_recordings(self._record_file, self.settings.cache_ttl_s))
        self._session: requests.Session | None = None
        self._session_lock = threading.Lock()
        self._plain: requests.Session | None = None
        self._unreachable: set[str] = set()
        self._secrets = self.settings.secrets()
        register_secrets(self._secrets)

    # ------------------------------------------------------------------ public
    @property
    def mode(self) -> NetworkMode:
        return self.settings.mode

    def request(
        self,
        url: str,
        params: dict | None = None,
        *,
        source: str,
        expect: Expect = "json",
        method: str = "GET",
        data: dict | None = None,
        replayable: bool = True,
        answer_statuses: frozenset[int] = frozenset(),
        retries: int | None = None,
    ) -> HttpResult:
        """Fetch according to the mode.  Raises SourceError (or ReplayMiss) on failure.

        ``retries``: overrides Settings.retries for this request.
        ``answer_statuses``: 4xx statuses this API documents as an answer rather than a failure (ENCODE
        answers a search with no hits as 404 with an empty ``@graph``); their body is checked and returned.
        """
        public_url = normalize_url(url, {**(params or {}), **(data or {})} if method == "POST" else params)
        mode = self.settings.mode
        started = time.perf_counter()
        try:
            cached = (self._from_record_cache(method, public_url, expect, source, answer_statuses)
                      if mode is NetworkMode.auto and replayable else None)
            if cached is not None:
                result = cached
            elif mode is NetworkMode.replay:
                result = self._replay(method, public_url, source, expect, answer_statuses)
            elif mode is NetworkMode.auto and host_of(url) in self._unreachable:
                result = self._replay(method, public_url, source, expect, answer_statuses)
            else:
                try:
                    result = self._network(method, url, params, data, source, expect, public_url, cacheable=replayable,
                                           answer_statuses=answer_statuses, retries=retries)
                except SourceError as exc:
                    if mode is not NetworkMode.auto or not replayable:
                        raise
                    if exc.reason.startswith("cannot connect"):
                        self._unreachable.add(host_of(url))
                    fallback = self._lookup(method, public_url)
                    if fallback is None:
                        raise
                    result = self._result_from(fallback, public_url, expect, source, answer_statuses)
                if mode is NetworkMode.record and replayable and self.settings.record_to:
                    self._record(method, public_url, result)
                if mode is NetworkMode.auto and replayable and result.origin == "live":
                    self._keep_records(method, public_url, result)
        except SourceError as exc:
            self.trace.add(TraceEvent(source, public_url, mode.value, None, time.perf_counter() - started, 0, str(exc)))
            raise
        result.seconds = time.perf_counter() - started
        self.trace.add(TraceEvent(source, public_url, result.origin, result.status, result.seconds, result.attempts))
        return result

    def get_json(self, url: str, params: dict | None = None, *, source: str) -> tuple[Any, HttpResult]:
        result = self.request(url, params, source=source, expect="json")
        return result.json(), result

    # ------------------------------------------------------------------ replay
    def _lookup(self, method: str, public_url: str) -> Recording | None:
        found = self.user_store.lookup(method, public_url)
        if found is None and self.settings.use_snapshot:
            found = bundled_snapshot().lookup(method, public_url)
        return found

    def searched_sources(self) -> list[str]:
        sources = list(self.user_store.sources)
        if self.settings.use_snapshot:
            sources.append("bundled snapshot")
        return sources

    def _replay(self, method: str, public_url: str, source: str, expect: Expect,
                answer_statuses: frozenset[int] = frozenset()) -> HttpResult:
        found = self._lookup(method, public_url)
        if found is None:
            raise ReplayMiss(source, public_url, self.searched_sources())
        return self._result_from(found, public_url, expect, source, answer_statuses)

    def _from_record_cache(self, method: str, public_url: str, expect: Expect, source: str,
                           answer_statuses: frozenset[int]) -> HttpResult | None:
        """An E-utilities answer put together from records fetched live earlier (auto mode), or None."""
        if eutils_by_record(public_url) is None:
            return None
        found = self.record_cache.lookup(method, public_url)
        if found is None:
            return None
        result = self._result_from(found, public_url, expect, source, answer_statuses)
        result.origin = "cache"
        return result

    def _keep_records(self, method: str, public_url: str, result: HttpResult) -> None:
        if result.status != 200 or eutils_by_record(public_url) is None:
            return
        rec = Recording(method, public_url, result.status, result.headers, result.body, now_iso(), str(self._record_file))
        self.record_cache.add_all([rec])
        try:
            append_recording(self._record_file, rec, self._secrets)
        except OSError as exc:  # a read-only cache folder costs requests later, not this answer
            self.trace.warnings.append(f"could not keep E-utilities records in {self._record_file}: {exc}")

    def from_recording(self, rec: Recording, source: str, expect: Expect = "text") -> HttpResult:
        """A recording found by other means (e.g. a BLAST report found by its sequence), traced like a replay."""
        result = self._result_from(rec, rec.url, expect, source)
        self.trace.add(TraceEvent(source, rec.url, result.origin, rec.status, 0.0, 0))
        return result

    def _result_from(self, rec: Recording, public_url: str, expect: Expect, source: str,
                     answer_statuses: frozenset[int] = frozenset()) -> HttpResult:
        if rec.status >= 400 and rec.status not in answer_statuses:
            raise SourceError(source, f"HTTP {rec.status} (recorded): {error_message(rec.body)}", url=public_url)
        problem = check_body(rec.body, expect)
        if problem:
            raise SourceError(source, f"recorded response is {problem}; re-record it", url=public_url)
        origin = "snapshot" if rec.origin_file.startswith(str(_snapshot_root())) else "replay"
        return HttpResult(rec.url, rec.status, rec.body, rec.headers, origin)

    def find_blast_recording(self, sequence: str, program: str, database: str, *, snapshot: bool = True) -> Recording | None:
        found = self.user_store.find_blast(sequence, program, database) or self.blast_cache.find_blast(
            sequence, program, database
        )
        if found is None and snapshot and self.settings.use_snapshot:
            found = bundled_snapshot().find_blast(sequence, program, database)
        return found

    # ------------------------------------------------------------------ network
    def _api_key(self) -> str | None:
        key = self.settings.ncbi_api_key
        return key.get_secret_value() if key is not None else None

    def session(self) -> requests.Session:
        with self._session_lock:  # calls run concurrently: open the cache once
            return self._make_session()

    def _make_session(self) -> requests.Session:
        if self._session is None:
            if self.settings.mode is NetworkMode.auto:
                session: requests.Session = self._open_cache()
            else:
                session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            self._session = session
        return self._session

    def _open_cache(self) -> requests_cache.CachedSession:
        """The on-disk HTTP cache; a corrupted file is set aside (kept for inspection) and a fresh one started."""
        self.settings.cache_dir.mkdir(parents=True, exist_ok=True)
        name = self.settings.cache_dir / "http_cache"

        def open_session() -> requests_cache.CachedSession:
            session = requests_cache.CachedSession(
                str(name), backend="sqlite", expire_after=self.settings.cache_ttl_s, allowable_codes=(200,),
                allowable_methods=("GET",),
                # Keys ignore, and stored requests omit, the caller's identity and key.
                ignored_parameters=sorted(SECRET_PARAMS),
            )
            len(session.cache.responses)  # touches the file: a corrupted one fails here, not mid-answer
            return session

        try:
            return open_session()
        except sqlite3.DatabaseError as exc:
            broken = name.with_suffix(".sqlite")
            aside = broken.with_name(f"{broken.name}.corrupt-{int(time.time())}")
            broken.replace(aside)
            self.trace.warnings.append(f"the HTTP cache {broken} was unreadable ({exc}); moved to {aside.name} "
                                       "and started afresh")
            return open_session()

    def _uncached_session(self) -> requests.Session:
        if self._plain is None:
            self._plain = requests.Session()
            self._plain.headers["User-Agent"] = USER_AGENT
        return self._plain

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, self.settings.max_retry_after_s)
        base = self.settings.backoff_s * (2 ** (state.attempt_number - 1))
        return base * (0.75 + random.random() / 2)

    def _network(
        self, method: str, url: str, params: dict | None, data: dict | None, source: str, expect: Expect,
        public_url: str, cacheable: bool = True, answer_statuses: frozenset[int] = frozenset(),
        retries: int | None = None,
    ) -> HttpResult:
        host = host_of(url)
        limiter = limiter_for(host, self.settings.rate_limit_for(host))
        # Status polls and one-off submissions (BLAST Put, SearchInfo) must never be served from the cache.
        session = self.session() if cacheable else self._uncached_session()
        attempts = 0
        retrying = Retrying(
            # A caller that paces its own requests (BLAST) asks for retries=0 and retries on its schedule.
            stop=stop_after_attempt((self.settings.retries if retries is None else retries) + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    attempts += 1
                    # pyrate-limiter 4: blocks until the host's rate allows one more request.
                    limiter.try_acquire(host, blocking=True)
                    response = self._send(session, method, url, params, data)
                    return self._accept(session, response, source, expect, public_url, attempts, answer_statuses)
        except _Retryable as exc:
            raise SourceError(
                source, f"{exc.reason} (gave up after {attempts} tries)", url=public_url, retryable=True
            ) from None
        raise AssertionError("unreachable")

    def _send(self, session: requests.Session, method: str, url: str, params: dict | None, data: dict | None):
        timeout = self.settings.timeout_s
        try:
            return session.request(method, url, params=params, data=data, timeout=(min(timeout, 10.0), timeout))
        except requests.Timeout:
            raise _Retryable(f"timed out after {timeout:g} s") from None
        except requests.ConnectionError as exc:
            text = str(exc)
            if "Name or service not known" in text or "nodename nor servname" in text or "Temporary failure in name" in text:
                # DNS failure: we are offline; retrying will not help.
                raise SourceError("network", "cannot connect (no DNS: offline?)") from None
            raise _Retryable("cannot connect (connection refused or reset)") from None

    def _accept(self, session, response, source: str, expect: Expect, public_url: str, attempts: int,
                answer_statuses: frozenset[int] = frozenset()) -> HttpResult:
        status = response.status_code
        if status in RETRY_STATUSES:
            raise _Retryable(f"HTTP {status}", parse_retry_after(response.headers.get("Retry-After")))
        body = response.content
        if status >= 400 and status not in answer_statuses:
            raise SourceError(source, f"HTTP {status}: {error_message(body)}", url=public_url)
        problem = check_body(body, expect)
        if problem and status >= 400:
            # A documented "answer" status whose body is not the documented answer is a plain failure.
            raise SourceError(source, f"HTTP {status}: {error_message(body)}", url=public_url)
        if problem:
            if isinstance(session, requests_cache.CachedSession):
                session.cache.delete(requests=[response.request])
            raise _Retryable(f"returned {problem}")
        headers = {k.lower(): v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
        origin = "cache" if getattr(response, "from_cache", False) else "live"
        return HttpResult(public_url, status, body, headers, origin, attempts=attempts)

    def _record(self, method: str, public_url: str, result: HttpResult) -> None:
        rec = Recording(method, public_url, result.status, result.headers, result.body, now_iso(), "record")
        append_recording(Path(self.settings.record_to), rec, self._secrets)


def _snapshot_root() -> Path:
    from genelm.data import snapshot_dir

    return snapshot_dir()
