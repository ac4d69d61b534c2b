"""Active time and progress: how long curators work on articles, and how fast the work goes.

Active time is measured as annotation tools measure "lead time": the time between two of the
curator's key presses or clicks counts, unless it is over a minute (they were away, or reading
something else). It is stored per curator and article (Store.add_active_time) and exported with
their work. The progress figures (articles done per day, median time per article, claims per
hour) are read from those rows, the done marks and the curators' claims.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from annotations.store import Store

IDLE_LIMIT = 60.0  # seconds: a longer pause is not counted


class ActiveClock:
    """Counts active seconds from the times of a curator's actions (any clock, in seconds)."""

    def __init__(self, idle_limit: float = IDLE_LIMIT):
        self.idle_limit = idle_limit
        self.last: float | None = None
        self.pending = 0.0

    def activity(self, at: float) -> None:
        """The curator did something at `at`: the time since their last action counts, unless it
        was over the idle limit."""
        if self.last is not None and 0 < at - self.last <= self.idle_limit:
            self.pending += at - self.last
        if self.last is None or at > self.last:
            self.last = at

    def take(self) -> float:
        """The seconds counted since the last take (to be stored), and start again from zero."""
        taken, self.pending = self.pending, 0.0
        return taken


@dataclass
class CuratorProgress:
    name: str
    done_per_day: dict[str, int] = field(default_factory=dict)
    active_seconds: float = 0.0
    articles_timed: int = 0
    median_seconds_per_article: float | None = None  # over the articles they finished
    claims_decided: int = 0

    @property
    def articles_done(self) -> int:
        return sum(self.done_per_day.values())

    @property
    def claims_per_hour(self) -> float | None:
        return self.claims_decided / (self.active_seconds / 3600) if self.active_seconds >= 60 else None

    def as_dict(self) -> dict:
        return {"articles_done": self.articles_done, "done_per_day": self.done_per_day,
                "active_seconds": round(self.active_seconds, 1), "articles_timed": self.articles_timed,
                "median_seconds_per_article": None if self.median_seconds_per_article is None else round(self.median_seconds_per_article, 1),
                "claims_decided": self.claims_decided,
                "claims_per_hour": None if self.claims_per_hour is None else round(self.claims_per_hour, 1)}


def curator_progress(store: Store) -> dict[str, CuratorProgress]:
    """Every curator's (and reviewer's) figures, by name."""
    people: dict[str, CuratorProgress] = {}
    get = lambda name: people.setdefault(name, CuratorProgress(name))
    for name, day, count in store.done_per_day():
        get(name).done_per_day[day] = count
    finished: dict[str, list[float]] = {}
    for name, _doc_id, seconds, done in store.active_time_rows():
        person = get(name)
        person.active_seconds += seconds
        person.articles_timed += 1
        if done:
            finished.setdefault(name, []).append(seconds)
    for name, times in finished.items():
        people[name].median_seconds_per_article = statistics.median(times)
    for name, count in store.decisions_per_curator().items():
        get(name).claims_decided = count
    return dict(sorted(people.items()))
