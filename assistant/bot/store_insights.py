"""The bot's insights over the SQLite store and the services that compute them.

Each call opens its own connection (WAL lets it read while the watcher and
the store thread write) and closes it when done, so it can run on any worker
thread. Nothing here decides anything: it maps what a person typed to what
the services take, and their refusals to messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant import clock, similar
from assistant import credibility as credibility_service
from assistant import etiquette as etiquette_service
from assistant import experts as experts_service
from assistant.bot.insights import InsightError, WeeklyReport, parse_reference
from assistant.credibility import Standing
from assistant.etiquette import CheckResult
from assistant.experts import Expert
from assistant.explain import Explanation, NotJudgedYet, explain
from assistant.problems import PervasiveProblems, pervasive
from assistant.report import ReportError, build_report, parse_week, render, week_of
from assistant.report.weeks import WeekError
from assistant.store import Store
from assistant.threadref import ThreadNotFound, resolve_thread
from playbooks import Playbook, UnknownCommunity, UnknownFounder

_REFUSALS = (
    NotJudgedYet,
    UnknownCommunity,
    credibility_service.CredibilityError,
    etiquette_service.EtiquetteError,
    ReportError,
    WeekError,
)


class StoreInsights:
    def __init__(self, db_path: str | Path, playbook: Playbook):
        self.db_path = Path(db_path)
        self.playbook = playbook

    @contextmanager
    def _store(self) -> Iterator[Store]:
        """A connection of this call's own, its refusals turned into messages."""
        store = Store(self.db_path, migrate=False)
        try:
            yield store
        except UnknownFounder as error:
            raise InsightError(
                f"{error} (add discord = \"{error.name}\" to their [[founders]] entry)"
            ) from None
        except _REFUSALS as error:
            raise InsightError(str(error)) from None
        finally:
            store.close()

    def _thread(self, store: Store, text: str) -> dict:
        reference = parse_reference(text)
        if reference.item_id is not None:
            thread_id = store.scalar("SELECT thread_id FROM queue_items WHERE id = ?",
                                     (reference.item_id,))
            if thread_id is None:
                raise InsightError(f"queue item {reference.item_id} does not exist")
            return resolve_thread(store, thread_id)
        try:
            return resolve_thread(store, reference.text)
        except ThreadNotFound:
            raise InsightError(
                f"'{reference.text}' is neither a queue item (#12) nor a thread "
                "(COMMUNITY:NATIVE_ID or the thread's URL)"
            ) from None

    def problems(self, top: int) -> PervasiveProblems:
        with self._store() as store:
            return pervasive(store, self.playbook, top=top)

    def standings(self, founder: str | None) -> list[Standing]:
        with self._store() as store:
            return credibility_service.standings(store, self.playbook, founder=founder,
                                                 now=clock.now(store))

    def experts(self, community: str, limit: int) -> list[Expert]:
        with self._store() as store:
            return experts_service.experts(store, self.playbook, community, limit=limit)

    def explain(self, reference: str) -> Explanation:
        with self._store() as store:
            return explain(store, self._thread(store, reference)["id"])

    def thread_title(self, reference: str) -> str:
        with self._store() as store:
            return self._thread(store, reference)["title"]

    def check(self, reference: str, text: str, founder: str) -> CheckResult:
        with self._store() as store:
            thread = self._thread(store, reference)
            return etiquette_service.check_draft(store, self.playbook, thread["id"], text,
                                                 founder=founder, now=clock.now(store))

    def weekly_report(self, week: str | None) -> WeeklyReport:
        with self._store() as store:
            now = clock.now(store)
            chosen = parse_week(week) if week else week_of(now)
            data = build_report(store, self.playbook, chosen, now=now)
        return WeeklyReport(str(chosen), data, render(data, "html"))

    def seen_before(self, item_id: int) -> str | None:
        with self._store() as store:
            thread_id = store.scalar("SELECT thread_id FROM queue_items WHERE id = ?", (item_id,))
            if thread_id is None:
                return None
            return similar.seen_before(store, thread_id, playbook=self.playbook)
