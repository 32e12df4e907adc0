"""A loopback Reddit that real praw can talk to.

It replays the betamax cassettes praw's own test-suite recorded against the
real API (read at run time from the shared data folder, never copied), and it
can synthesise what no cassette holds: subreddits with any number of new
submissions (each one a recorded submission re-used as a template with a new
id and time), their authors' user listings, ``/api/info`` lookups over
everything recorded, and keyword search. It issues OAuth tokens, counts requests per path, and injects the
faults a watcher has to survive: 429 with ``Retry-After``, 500, a response
slower than the client's timeout, malformed JSON and a page cut off mid-body.

Use::

    with RedditFake(cassette_dir) as fake:
        reddit = praw.Reddit(..., oauth_url=fake.url, reddit_url=fake.url)
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"
SYNTHETIC_START = 1_700_000_000.0
"""created_utc of the first synthesised submission (2023-11-14), unless told."""

IDENTITY_PARAMS = ("after", "before", "id", "q", "children", "link_id")
"""Request parameters that select *which* data comes back: a recorded
interaction only answers a request when these agree. Others (limit, sort,
raw_json) only break ties."""
TIEBREAK_PARAMS = ("sort", "t", "limit", "restrict_sr", "context")


def normalise_path(path: str) -> str:
    """Reddit paths are case-insensitive and slash-tolerant; /user/X is the
    same listing as /user/X/overview."""
    path = path.lower().rstrip("/") or "/"
    match = re.fullmatch(r"/user/([^/]+)/overview", path)
    if match:
        path = f"/user/{match.group(1)}"
    return path


@dataclass(slots=True)
class Interaction:
    method: str
    path: str
    params: dict[str, str]
    status: int
    body: str
    cassette: str


@dataclass(slots=True)
class Fault:
    kind: str  # "429", "500", "slow", "malformed", "truncate"
    path: str | None
    times: int
    skip: int
    retry_after: float | None
    delay: float


@dataclass(slots=True)
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]
    status: int = 0
    fault: str | None = None


@dataclass(slots=True)
class _Synthetic:
    """One subreddit's synthesised submissions, newest first."""

    submissions: list[dict[str, Any]] = field(default_factory=list)


def _form(text: str | bytes | None) -> dict[str, str]:
    if not text:
        return {}
    if isinstance(text, bytes):
        text = text.decode()
    return dict(parse_qsl(text, keep_blank_values=True))


def _walk_things(node: Any, found: dict[str, dict[str, Any]]) -> None:
    """Collect every t1/t3/t5 object in a response, replies included."""
    if isinstance(node, list):
        for item in node:
            _walk_things(item, found)
    elif isinstance(node, dict):
        kind = node.get("kind")
        data = node.get("data")
        if kind in {"t1", "t3", "t5"} and isinstance(data, dict) and "name" in data:
            found.setdefault(data["name"], node)
            if isinstance(data.get("replies"), dict):
                _walk_things(data["replies"], found)
        elif kind == "Listing" and isinstance(data, dict):
            _walk_things(data.get("children", []), found)
        elif "json" in node and isinstance(node["json"], dict):
            _walk_things(node["json"].get("data", {}).get("things", []), found)


@functools.lru_cache(maxsize=4)
def load_cassettes(cassette_dir: str) -> tuple[tuple[Interaction, ...], dict[str, dict[str, Any]]]:
    """Every recorded interaction, and every recorded thing by fullname."""
    interactions: list[Interaction] = []
    things: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(cassette_dir).glob("*.json")):
        recorded = json.loads(path.read_text(encoding="utf-8"))
        for item in recorded["interactions"]:
            request, response = item["request"], item["response"]
            url = urlsplit(request["uri"])
            params = _form(url.query)
            if request["method"] == "POST":
                params.update(_form(request.get("body")))
            params.pop("raw_json", None)
            params.pop("api_type", None)
            body = response["body"].get("string", "")
            interactions.append(
                Interaction(
                    method=request["method"],
                    path=normalise_path(url.path),
                    params=params,
                    status=response["status"]["code"],
                    body=body,
                    cassette=path.stem,
                )
            )
            try:
                _walk_things(json.loads(body), things)
            except ValueError:
                continue
    return tuple(interactions), things


def recorded_json(cassette_dir: Path, cassette: str, index: int) -> Any:
    """The decoded body of one recorded response, for tests that compute their
    expectations straight from the recording."""
    recorded = json.loads((cassette_dir / f"{cassette}.json").read_text(encoding="utf-8"))
    return json.loads(recorded["interactions"][index]["response"]["body"]["string"])


def to_base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


class RedditFake:
    """The fake server; start it with ``with`` or ``start()``."""

    def __init__(
        self,
        cassette_dir: Path | None = None,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        username: str | None = None,
        password: str | None = None,
        listing_depth: int | None = None,
    ) -> None:
        self.cassette_dir = cassette_dir
        self.listing_depth = listing_depth
        """Reddit lists only the newest 1,000 or so items however far ``after``
        pages; set this to model that cap (None: no cap)."""
        if cassette_dir is not None:
            self.interactions, recorded = load_cassettes(str(cassette_dir))
        else:
            self.interactions, recorded = (), {}
        self.things: dict[str, dict[str, Any]] = dict(recorded)
        self.client_id = client_id
        self.client_secret = client_secret
        self.username = username
        self.password = password
        self.tokens: set[str] = set()
        self.requests: list[RecordedRequest] = []
        self.unmatched: list[RecordedRequest] = []
        self._uses: Counter[int] = Counter()
        self._faults: list[Fault] = []
        self._synthetic: dict[str, _Synthetic] = {}
        self._next_id = 36**5  # six-character base-36 ids: never clash with recorded ones
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> RedditFake:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> RedditFake:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- observation ---------------------------------------------------------
    def count(self, path: str | None = None, method: str | None = None) -> int:
        """Requests that reached the server (faults included) for one path."""
        with self._lock:
            return sum(
                1
                for request in self.requests
                if (path is None or request.path == normalise_path(path))
                and (method is None or request.method == method)
            )

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.unmatched.clear()

    # -- faults --------------------------------------------------------------
    def inject(
        self,
        kind: str,
        *,
        path: str | None = None,
        times: int = 1,
        skip: int = 0,
        retry_after: float | None = None,
        delay: float = 2.0,
    ) -> None:
        """Answer the next ``times`` requests for ``path`` (any path when None),
        after letting ``skip`` of them through, with a fault."""
        if kind not in {"429", "500", "slow", "malformed", "truncate"}:
            raise ValueError(f"unknown fault {kind!r}")
        with self._lock:
            self._faults.append(
                Fault(kind, normalise_path(path) if path else None, times, skip, retry_after, delay)
            )

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.path is not None and fault.path != path:
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                if fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    # -- synthesis -----------------------------------------------------------
    def template_submission(self) -> dict[str, Any]:
        """A real recorded self-post to stamp new submissions from."""
        for interaction in self.interactions:
            if interaction.path.endswith("/new") and interaction.status == 200:
                for child in json.loads(interaction.body)["data"]["children"]:
                    if child["kind"] == "t3" and child["data"].get("is_self"):
                        return copy.deepcopy(child)
        return {
            "kind": "t3",
            "data": {"title": "", "selftext": "", "author": "someone", "is_self": True},
        }

    def add_submissions(
        self,
        subreddit: str,
        count: int,
        *,
        start: float | None = None,
        step: float = 60.0,
        titles: list[str] | None = None,
        selftexts: list[str] | None = None,
        authors: list[str | None] | None = None,
        num_comments: list[int] | None = None,
        template: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Post ``count`` new submissions to a synthetic subreddit, each newer
        than the last; returns their data, oldest first."""
        template = template or self.template_submission()
        with self._lock:
            synthetic = self._synthetic.setdefault(subreddit.lower(), _Synthetic())
            newest = (
                synthetic.submissions[0]["data"]["created_utc"] if synthetic.submissions else None
            )
            first = start if start is not None else (newest + step if newest else SYNTHETIC_START)
            made = []
            for index in range(count):
                thing = copy.deepcopy(template)
                data = thing["data"]
                native_id = to_base36(self._next_id)
                self._next_id += 1
                created = first + index * step
                data.update(
                    id=native_id,
                    name=f"t3_{native_id}",
                    created_utc=created,
                    created=created,
                    subreddit=subreddit,
                    subreddit_id="t5_fake0",
                    permalink=f"/r/{subreddit}/comments/{native_id}/synthetic/",
                    url=f"https://www.reddit.com/r/{subreddit}/comments/{native_id}/synthetic/",
                    num_comments=0,
                    stickied=False,
                    distinguished=None,
                )
                if titles is not None:
                    data["title"] = titles[index]
                if selftexts is not None:
                    data["selftext"] = selftexts[index]
                    data["selftext_html"] = None
                if num_comments is not None:
                    data["num_comments"] = num_comments[index]
                if authors is not None:
                    data["author"] = authors[index] if authors[index] is not None else "[deleted]"
                synthetic.submissions.insert(0, thing)
                self.things[data["name"]] = thing
                made.append(data)
            return made

    def remove_submission(self, subreddit: str, fullname: str) -> None:
        """Take a submission out of /new, as Reddit does when it is deleted or
        removed: a cursor pointing at it can no longer be found."""
        with self._lock:
            synthetic = self._synthetic[subreddit.lower()]
            synthetic.submissions = [
                thing for thing in synthetic.submissions if thing["data"]["name"] != fullname
            ]

    # -- answering -----------------------------------------------------------
    def answer(
        self, method: str, raw_path: str, params: dict[str, str], headers: Any
    ) -> tuple[int, dict[str, str], bytes, Fault | None]:
        path = normalise_path(raw_path)
        record = RecordedRequest(method, path, dict(params))
        with self._lock:
            self.requests.append(record)
        fault = self._take_fault(path)
        status, extra, body = self._route(method, path, params, headers, fault)
        record.status = status
        record.fault = fault.kind if fault else None
        if status == 404 and not fault:
            with self._lock:
                self.unmatched.append(record)
        return status, extra, body, fault

    def _route(
        self, method: str, path: str, params: dict[str, str], headers: Any, fault: Fault | None
    ) -> tuple[int, dict[str, str], bytes]:
        if path == "/api/v1/access_token":
            return self._token(params, headers)
        token = (headers.get("Authorization") or "").removeprefix("bearer ").strip()
        if token not in self.tokens:
            return (
                401,
                {"www-authenticate": 'Bearer realm="reddit", error="invalid_token"'},
                _json({"message": "Unauthorized", "error": 401}),
            )
        if fault is not None and fault.kind == "429":
            extra = (
                {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            )
            return 429, extra, _json({"message": "Too Many Requests", "error": 429})
        if fault is not None and fault.kind == "500":
            return 500, {}, _json({"message": "Internal Server Error", "error": 500})
        answer = self._synthesised(method, path, params)
        if answer is None:
            answer = self._replayed(method, path, params)
        if answer is None:
            return 404, {}, _json({"message": "Not Found", "error": 404})
        status, body = answer
        if fault is not None and fault.kind == "malformed":
            body = body[: max(1, len(body) // 3)].replace(b'"', b"'", 3) + b"<<not json"
        return status, {}, body

    def _token(self, params: dict[str, str], headers: Any) -> tuple[int, dict[str, str], bytes]:
        auth = headers.get("Authorization") or ""
        try:
            client_id, _, secret = (
                base64.b64decode(auth.removeprefix("Basic ")).decode().partition(":")
            )
        except ValueError:
            client_id, secret = "", ""
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {}, _json({"message": "Unauthorized", "error": 401})
        grant = params.get("grant_type")
        if grant == "password" and (
            params.get("username") != self.username or params.get("password") != self.password
        ):
            return 200, {}, _json({"error": "invalid_grant"})
        if grant not in {
            "password",
            "client_credentials",
            "https://oauth.reddit.com/grants/installed_client",
        }:
            return 200, {}, _json({"error": "unsupported_grant_type"})
        with self._lock:
            token = f"fake-token-{len(self.tokens) + 1}"
            self.tokens.add(token)
        return (
            200,
            {},
            _json(
                {"access_token": token, "token_type": "bearer", "expires_in": 86400, "scope": "*"}
            ),
        )

    def _replayed(self, method: str, path: str, params: dict[str, str]) -> tuple[int, bytes] | None:
        best: tuple[int, int, int] | None = None
        chosen = -1
        for index, interaction in enumerate(self.interactions):
            if interaction.method != method or interaction.path != path:
                continue
            if any(
                _param_key(name, params.get(name)) != _param_key(name, interaction.params.get(name))
                for name in IDENTITY_PARAMS
            ):
                continue
            score = sum(
                1 for name in TIEBREAK_PARAMS if params.get(name) == interaction.params.get(name)
            )
            with self._lock:
                rank = (score, -self._uses[index], -index)
            if best is None or rank > best:
                best, chosen = rank, index
        if best is None:
            return None
        with self._lock:
            self._uses[chosen] += 1
        interaction = self.interactions[chosen]
        return interaction.status, interaction.body.encode()

    def _synthesised(
        self, method: str, path: str, params: dict[str, str]
    ) -> tuple[int, bytes] | None:
        if method == "GET" and path == "/api/info":
            names = [name for name in params.get("id", "").split(",") if name]
            with self._lock:
                children = [self.things[name] for name in names if name in self.things]
            return 200, _json(_listing(children, after=None))
        match = re.fullmatch(r"/r/([^/]+)/new", path)
        if method == "GET" and match and match.group(1) in self._synthetic:
            with self._lock:
                items = self._synthetic[match.group(1)].submissions[: self.listing_depth]
            return 200, _json(_page(items, params))
        match = re.fullmatch(r"/user/([^/]+)(?:/submitted)?", path)
        if method == "GET" and match:
            with self._lock:
                theirs = [
                    thing
                    for synthetic in self._synthetic.values()
                    for thing in synthetic.submissions
                    if str(thing["data"].get("author", "")).lower() == match.group(1)
                ]
            if theirs:
                theirs.sort(key=lambda thing: thing["data"]["created_utc"], reverse=True)
                return 200, _json(_page(theirs, params))
        match = re.fullmatch(r"/comments/([a-z0-9]+)", path)
        if method == "GET" and match and f"t3_{match.group(1)}" in self.things:
            thing = self.things[f"t3_{match.group(1)}"]
            if thing["data"].get("subreddit", "").lower() in self._synthetic:
                return 200, _json([_listing([thing], after=None), _listing([], after=None)])
        match = re.fullmatch(r"(?:/r/([^/]+))?/search", path)
        if method == "GET" and match and not self._is_recorded(method, path, params):
            return 200, _json(_page(self._search(match.group(1), params), params))
        return None

    def _is_recorded(self, method: str, path: str, params: dict[str, str]) -> bool:
        return any(
            i.method == method and i.path == path and i.params.get("q") == params.get("q")
            for i in self.interactions
        )

    def _search(self, subreddits: str | None, params: dict[str, str]) -> list[dict[str, Any]]:
        """A plain OR-of-terms search over titles and self texts, newest first."""
        terms = [
            term.strip().strip('"').lower()
            for term in re.split(r"\s+OR\s+", params.get("q", ""))
            if term.strip().strip('"')
        ]
        wanted = None
        restrict = params.get("restrict_sr", "").lower() in {"1", "true", "on"}
        if subreddits and subreddits != "all" and restrict:
            wanted = {name.lower() for name in subreddits.split("+")}
        with self._lock:
            candidates = [thing for thing in self.things.values() if thing["kind"] == "t3"]
        hits = []
        for thing in candidates:
            data = thing["data"]
            if wanted is not None and str(data.get("subreddit", "")).lower() not in wanted:
                continue
            text = f"{data.get('title', '')}\n{data.get('selftext', '')}".lower()
            if any(term in text for term in terms):
                hits.append(thing)
        hits.sort(
            key=lambda thing: (thing["data"]["created_utc"], thing["data"]["name"]), reverse=True
        )
        return hits


def _param_key(name: str, value: str | None) -> Any:
    if value is None or value == "":
        return None
    if name in {"children", "id"}:
        return frozenset(value.split(","))
    if name == "q":
        return " ".join(value.split())
    return value


def _listing(children: list[dict[str, Any]], *, after: str | None) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": after,
            "before": None,
            "dist": len(children),
            "children": children,
            "modhash": "",
        },
    }


def _page(items: list[dict[str, Any]], params: dict[str, str]) -> dict[str, Any]:
    """Reddit's paging over a newest-first list: ``after`` walks older,
    ``before`` returns the ``limit`` items just newer than the anchor."""
    limit = max(1, min(100, int(params.get("limit") or 25)))
    names = [item["data"]["name"] for item in items]
    if params.get("after"):
        if params["after"] not in names:
            return _listing([], after=None)
        start = names.index(params["after"]) + 1
        chunk = items[start : start + limit]
        more = start + limit < len(items)
    elif params.get("before"):
        if params["before"] not in names:
            return _listing([], after=None)
        end = names.index(params["before"])
        chunk = items[max(0, end - limit) : end]
        more = True
    else:
        chunk = items[:limit]
        more = limit < len(items)
    after = chunk[-1]["data"]["name"] if chunk and more else None
    return _listing(chunk, after=after)


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    fake: RedditFake

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        params = _form(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            params.update(_form(self.rfile.read(length)))
        params.pop("raw_json", None)
        params.pop("api_type", None)
        status, extra, body, fault = self.fake.answer(method, url.path, params, self.headers)
        if fault is not None and fault.kind == "slow" and self.fake._stopping.wait(fault.delay):
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        if (self.headers.get("Connection") or "").lower() == "close" or (
            fault is not None and fault.kind == "truncate"
        ):
            # say so, or the client pools a socket that is about to close
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            if fault is not None and fault.kind == "truncate":
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def settings_for(fake: RedditFake, **overrides: Any) -> Any:
    """Reddit settings that point Beachhead's source at this fake."""
    from assistant.sources.reddit_client import RedditSettings

    values: dict[str, Any] = {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "user_agent": "beachhead-tests/0.1 (loopback fake)",
        "oauth_url": fake.url,
        "reddit_url": fake.url,
    }
    values.update(overrides)
    return RedditSettings(**values)
