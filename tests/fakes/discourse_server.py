"""A loopback Discourse that replays real recorded API responses.

It serves, read at run time from the shared data folder (never copied):

- topic lists (``/latest.json`` and ``/c/{slug}/{id}.json``) from the
  recorded lists (perceval's ``discourse_topics*.json``, discourse_api's
  ``latest.json``, ``category_latest_topics.json``), one recorded file per
  page, ``more_topics_url`` set the way Discourse sets it;
- topics (``/t/{id}.json``) from the recorded topics, keyed by their ``id``;
- ``/t/{id}/posts.json?post_ids[]=…``: recorded posts of the topic by id; a
  post the recording lists in the stream but did not capture is synthesised
  from the recorded single post (``discourse_post.json``) with the asked id,
  its position in the stream as post number, and the topic's id;
- ``/user_actions.json``: a user's topics and replies, built from the
  recorded action (``replies_and_topics.json``) as a template over every post
  that user wrote in the topics the fake holds, newest first, 30 a page.

``long_topic`` builds a topic of any length by re-using the recorded 20-post
topic's posts as templates (new ids, numbers and times); ``accept`` marks a
post as the accepted answer the way the Solved plugin does. Faults come from
``LoopbackServer.inject``.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.fakes.loopback_http import LoopbackServer, Reply, Seen

ACTIONS_PER_PAGE = 30


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


class DiscourseFake(LoopbackServer):
    def __init__(self, data_dir: Path):
        super().__init__()
        self.data_dir = Path(data_dir)
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.topics: dict[int, dict[str, Any]] = {}
        self.posts: dict[int, dict[int, dict[str, Any]]] = {}
        """Every post the fake holds, by topic then post id (beyond the first chunk too)."""
        self.template_post = _load(self.data_dir / "perceval" / "discourse_post.json")
        self.template_action = _load(self.data_dir / "discourse_api" / "replies_and_topics.json")[
            "user_actions"][0]
        for name in ("discourse_topic_1148.json", "discourse_topic_1149.json",
                     "discourse_topic_1150.json"):
            self.add_topic(_load(self.data_dir / "perceval" / name))
        self.add_topic(_load(self.data_dir / "discourse_api" / "topic.json"))

    # ------------------------------------------------------------- content

    def recorded(self, *parts: str) -> Any:
        return _load(self.data_dir.joinpath(*parts))

    def serve_list(self, path: str, *pages: dict[str, Any]) -> None:
        """Serve these recorded topic lists as the pages of ``path``
        (``/latest.json`` or ``/c/slug/id.json``)."""
        self.lists[path] = [copy.deepcopy(page) for page in pages]

    def add_topic(self, topic: dict[str, Any]) -> None:
        topic = copy.deepcopy(topic)
        self.topics[int(topic["id"])] = topic
        self.posts[int(topic["id"])] = {int(p["id"]): p for p in topic["post_stream"]["posts"]}

    def long_topic(self, topic_id: int, count: int, *, chunk: int = 20) -> dict[str, Any]:
        """A topic of ``count`` posts made of the recorded support topic's
        posts (cycled), with fresh ids, numbers and times."""
        base = self.recorded("perceval", "discourse_topic_1148.json")
        recorded = base["post_stream"]["posts"]
        start = datetime(2024, 3, 1, tzinfo=UTC)
        posts = []
        for number in range(1, count + 1):
            post = copy.deepcopy(recorded[(number - 1) % len(recorded)])
            post["id"] = topic_id * 1000 + number
            post["post_number"] = number
            post["topic_id"] = topic_id
            post["created_at"] = (start + timedelta(hours=number)).isoformat().replace("+00:00", "Z")
            reply = post.get("reply_to_post_number")
            post["reply_to_post_number"] = reply if reply and reply < number else None
            posts.append(post)
        topic = copy.deepcopy(base)
        topic.update(id=topic_id, posts_count=count, highest_post_number=count, chunk_size=chunk,
                     slug=f"long-topic-{topic_id}",
                     created_at=posts[0]["created_at"], last_posted_at=posts[-1]["created_at"])
        topic["post_stream"] = {"posts": posts[:chunk], "stream": [p["id"] for p in posts]}
        self.topics[topic_id] = topic
        self.posts[topic_id] = {p["id"]: p for p in posts}
        return topic

    def accept(self, topic_id: int, post_number: int) -> None:
        """Mark a post as the solution, as the Solved plugin shows it."""
        for post in self.posts[topic_id].values():
            if post.get("post_number") == post_number:
                post["accepted_answer"] = True
                self.topics[topic_id]["accepted_answer"] = {
                    "post_number": post_number, "username": post.get("username"),
                    "excerpt": "", "name": post.get("name"),
                }

    # ------------------------------------------------------------- serving

    def route(self, seen: Seen) -> Reply:
        path = seen.path
        if path in self.lists:
            return self._list(path, seen)
        match = re.fullmatch(r"/t/(\d+)\.json", path)
        if match:
            topic = self.topics.get(int(match.group(1)))
            if topic is None:
                return Reply.json({"errors": ["The requested URL or resource could not be found."],
                                   "error_type": "not_found"}, 404)
            return Reply.json(topic)
        match = re.fullmatch(r"/t/(\d+)/posts\.json", path)
        if match:
            return self._posts(int(match.group(1)), seen.params_named("post_ids[]"))
        if path == "/user_actions.json":
            return self._actions(seen)
        return super().route(seen)

    def _list(self, path: str, seen: Seen) -> Reply:
        pages = self.lists[path]
        page = int(seen.param("page") or 0)
        if page >= len(pages):
            empty = copy.deepcopy(pages[0]) if pages else {"topic_list": {}}
            empty["topic_list"]["topics"] = []
            empty["topic_list"].pop("more_topics_url", None)
            return Reply.json(empty)
        body = copy.deepcopy(pages[page])
        body["topic_list"].pop("more_topics_url", None)
        if page + 1 < len(pages):
            html_path = path.removesuffix(".json")
            body["topic_list"]["more_topics_url"] = f"{html_path}?page={page + 1}"
        return Reply.json(body)

    def _posts(self, topic_id: int, wanted: list[str]) -> Reply:
        topic = self.topics.get(topic_id)
        if topic is None:
            return Reply.json({"errors": ["not found"]}, 404)
        stream = topic["post_stream"].get("stream", [])
        posts = []
        for raw_id in wanted:
            post_id = int(raw_id)
            post = self.posts[topic_id].get(post_id)
            if post is None and post_id in stream:
                post = copy.deepcopy(self.template_post)
                post.update(id=post_id, post_number=stream.index(post_id) + 1, topic_id=topic_id,
                            topic_slug=topic.get("slug"), reply_to_post_number=None)
                self.posts[topic_id][post_id] = post
            if post is not None:
                posts.append(post)
        return Reply.json({"post_stream": {"posts": posts}, "id": topic_id})

    def _actions(self, seen: Seen) -> Reply:
        username = seen.param("username") or ""
        kinds = {int(k) for k in (seen.param("filter") or "4,5").split(",") if k}
        offset = int(seen.param("offset") or 0)
        actions = []
        for topic_id, posts in self.posts.items():
            topic = self.topics[topic_id]
            for post in posts.values():
                if post.get("username") != username:
                    continue
                kind = 4 if post.get("post_number") == 1 else 5
                if kind not in kinds:
                    continue
                action = copy.deepcopy(self.template_action)
                action.update(
                    action_type=kind, created_at=post["created_at"], topic_id=topic_id,
                    post_id=post["id"], post_number=post["post_number"],
                    reply_to_post_number=post.get("reply_to_post_number"),
                    username=username, acting_username=username, title=topic.get("title"),
                    slug=topic.get("slug"), excerpt=post.get("cooked", "")[:120],
                )
                actions.append(action)
        actions.sort(key=lambda a: (a["created_at"], a["post_id"]), reverse=True)
        return Reply.json({"user_actions": actions[offset : offset + ACTIONS_PER_PAGE]})
