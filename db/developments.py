"""Merge the events extracted from each article into developments (one per real-world meeting).

Two reports describe the same meeting when they agree on kind and level, on the sides at the table (a
mediator may be counted as a side by one outlet and not by another), on the place where both
name one, and on the date where both give one (at the coarser precision of the two). Without
dates, reports are matched only within a window around the article's publication.

Every change an article brings is recorded (`new`, `status`, `date`, `location`, `level`): alerts
are raised on those changes, never on pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import Select, and_, delete, or_, select
from sqlalchemy.orm import Session

from db.bulk import insert_returning_ids, insert_rows
from db.development_models import Development, DevelopmentChange, DevelopmentSource
from db.models import utcnow
from rasad.extraction.dates import date_interval
from rasad.extraction.model import Event, status_rank

UNDATED_WINDOW_DAYS = 45  # undated reports of one meeting arrive within weeks, not months
ANTICIPATION_DAYS = 150  # but a meeting announced as planned may be held months later
ALERTING_CHANGES = ("new", "status", "date", "location", "level")


@dataclass(frozen=True)
class ChangeRecord:
    """One change an article made to a development."""

    development_id: int
    change: str
    old_value: str | None
    new_value: str | None


def date_bounds(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO date or YYYY-MM can mean; None when unknown, malformed or a bare year
    (a year is too wide to tell two meetings of the same sides apart)."""
    if value is None or len(value) == 4:
        return None
    return date_interval(value)


def dates_agree(a: str | None, b: str | None) -> bool:
    """Whether two dates can be the same day (a month contains its days; ±1 day for time zones)."""
    bounds_a, bounds_b = date_bounds(a), date_bounds(b)
    if bounds_a is None or bounds_b is None:
        return True
    slack = dt.timedelta(days=1)
    return bounds_a[0] - slack <= bounds_b[1] and bounds_b[0] - slack <= bounds_a[1]


def sides_agree(a: Iterable[str], b: Iterable[str], mediators: Iterable[str | None]) -> bool:
    """Same sides, allowing a mediator to be counted by one report and not the other."""
    set_a, set_b = set(a), set(b)
    if not set_a or not set_b:
        return False
    extra = set_a ^ set_b
    return len(set_a & set_b) >= 2 and extra <= {m for m in mediators if m}


def _more_precise(new: str | None, old: str | None) -> bool:
    new_bounds, old_bounds = date_bounds(new), date_bounds(old)
    if new_bounds is None:
        return False
    if old_bounds is None:
        return True
    return (new_bounds[1] - new_bounds[0]) < (old_bounds[1] - old_bounds[0])


def _matches(dev: Development, event: Event, reference: dt.date | None) -> bool:
    if dev.kind != event.kind:
        return False
    level = event.level
    if dev.level and level and "other" not in (dev.level, level) and dev.level != level:
        return False  # ministers and spy chiefs of the same two countries meet separately
    if not sides_agree(dev.countries, event.countries, [dev.mediator, event.mediator]):
        return False
    location = event.location
    if dev.location and location and dev.location != location:
        return False
    date = event.date
    if dev.date and date:
        return dates_agree(dev.date, date)
    bounds = date_bounds(date)
    anchor = bounds[0] if bounds else reference
    dev_anchor = dev.date_start or dev.first_reported_on or dev.first_seen_at.date()
    if anchor is None:
        return True
    gap = (anchor - dev_anchor).days
    if dev.status != "held" and 0 <= gap <= ANTICIPATION_DAYS:
        return True
    return abs(gap) <= UNDATED_WINDOW_DAYS


def _candidates(events: list[Event], published: dt.date | None) -> Select[Development]:
    """Developments that could be any of `events`: same kind and, when it can be dated, a nearby date.

    One query for the whole article, a superset of what `_matches` accepts, narrowed in SQL so the
    check does not read every development ever recorded.
    """
    slack = dt.timedelta(days=ANTICIPATION_DAYS + 62)  # month precision on either side
    conditions = []
    for event in events:
        bounds = date_bounds(event.date)
        anchor = bounds[0] if bounds else published
        condition = Development.kind == event.kind
        if anchor is not None:
            near = Development.date_start.between(anchor - slack, anchor + slack)
            condition = and_(condition, or_(Development.date_start.is_(None), near))
        conditions.append(condition)
    return select(Development).where(or_(*conditions)).order_by(Development.id)


def forget_article(session: Session, article_id: int) -> None:
    """Undo what a previous processing of this article contributed (re-processing is idempotent)."""
    created = session.scalars(
        select(DevelopmentChange.development_id).where(
            DevelopmentChange.article_id == article_id, DevelopmentChange.change == "new"
        )
    ).all()
    session.execute(delete(DevelopmentChange).where(DevelopmentChange.article_id == article_id))
    session.execute(delete(DevelopmentSource).where(DevelopmentSource.article_id == article_id))
    if created:
        still_reported = select(DevelopmentSource.id).where(DevelopmentSource.development_id == Development.id)
        session.execute(
            delete(Development).where(Development.id.in_(created), ~still_reported.exists()),
            execution_options={"synchronize_session": False},
        )


def _sided(events: Iterable[Event]) -> list[Event]:
    """The events between at least two identifiable sides, their sides sorted."""
    sided = []
    for event in events:
        countries = sorted({c for c in event.countries if c})
        if event.kind and len(countries) >= 2:
            sided.append(replace(event, countries=countries))
    return sided


def record_developments(
    session: Session,
    article_id: int,
    events: Iterable[Event],
    *,
    published: dt.date | None,
    topics: Iterable[str] = (),
    first_time: bool = False,
) -> list[ChangeRecord]:
    """Attach each extracted event of an article to its development (creating it if new).

    `events` are the extraction's own `Event` objects. What an earlier processing of the article
    contributed is undone first, unless the caller knows there was none (`first_time`). Returns
    the changes made. New developments, the changes and the sources go in as one multi-row INSERT
    each; the developments already stored are updated in place (flushed with the session).
    """
    if not first_time:
        forget_article(session, article_id)
    sided = _sided(events)
    if not sided:
        return []
    topics = sorted(set(topics))
    pool = list(session.scalars(_candidates(sided, published)).all())
    created: list[Development] = []  # not in the session: inserted together below
    logged: list[tuple[Development, str, str | None, str | None]] = []
    sources: dict[int, tuple[Development, Event]] = {}  # one per development, the first event that reported it
    for event in sided:
        dev = next((d for d in pool if _matches(d, event, published)), None)
        if dev is None:
            dev = _new(event, article_id, topics, published)
            pool.append(dev)
            created.append(dev)
            logged.append((dev, "new", None, dev.summary))
        else:
            logged.extend((dev, change, old, new) for change, old, new in _update(dev, event, topics))
        sources.setdefault(id(dev), (dev, event))
    new_ids = insert_returning_ids(session, Development, [_row(dev) for dev in created])
    ids = {id(dev): new_id for dev, new_id in zip(created, new_ids, strict=True)}

    def id_of(dev: Development) -> int:
        return ids.get(id(dev)) or dev.id

    insert_rows(session, DevelopmentChange, [
        {"development_id": id_of(dev), "article_id": article_id, "change": change, "old_value": old, "new_value": new}
        for dev, change, old, new in logged
    ])  # fmt: skip
    insert_rows(session, DevelopmentSource, [
        {"development_id": id_of(dev), "article_id": article_id, "status": event.status or "planned",
         "evidence": _evidence_text(event)}
        for dev, event in sources.values()
    ])  # fmt: skip
    return [ChangeRecord(id_of(dev), change, old, new) for dev, change, old, new in logged]


def _new(event: Event, article_id: int, topics: list[str], published: dt.date | None) -> Development:
    """A development first reported by this event, held in memory until the article's developments are written."""
    bounds = date_bounds(event.date)
    dev = Development(
        kind=event.kind,
        status=event.status or "planned",
        level=event.level,
        countries=list(event.countries),
        countries_key=",".join(event.countries),
        persons=sorted(set(event.persons)),
        location=event.location,
        date=event.date if bounds else None,
        date_start=bounds[0] if bounds else None,
        mediator=event.mediator,
        topics=topics,
        first_reported_on=published,
        first_article_id=article_id,
        first_seen_at=utcnow(),  # a later event of the same article may match it by this date
    )
    dev.summary = _describe(dev)
    return dev


def _row(dev: Development) -> dict[str, object]:
    """The INSERT row of an in-memory development: its columns as `_new` set them (the id comes from the store)."""
    columns = Development.__table__.columns.keys()
    return {name: getattr(dev, name) for name in columns if name != "id"} | {"updated_at": dev.first_seen_at}


def _update(dev: Development, event: Event, topics: list[str]) -> list[tuple[str, str | None, str | None]]:
    """Bring what this event adds to the development; the changes worth recording (change, old, new)."""
    changes: list[tuple[str, str | None, str | None]] = []
    status = event.status or "planned"
    if status_rank(status) > status_rank(dev.status):
        changes.append(("status", dev.status, status))
        dev.status = status
    if _more_precise(event.date, dev.date):
        changes.append(("date", dev.date, event.date))
        dev.date = event.date
        bounds = date_bounds(dev.date)
        dev.date_start = bounds[0] if bounds else None
    if event.location and not dev.location:
        changes.append(("location", None, event.location))
        dev.location = event.location
    level = event.level
    if level and level != "other" and dev.level in (None, "other"):
        changes.append(("level", dev.level, level))
        dev.level = level
    persons = sorted(set(dev.persons or []) | set(event.persons))
    if persons != sorted(dev.persons or []):
        dev.persons = persons
    if event.mediator and not dev.mediator:
        dev.mediator = event.mediator
    if set(topics) - set(dev.topics or []):
        dev.topics = sorted(set(dev.topics or []) | set(topics))
    dev.summary = _describe(dev)
    return changes


def _evidence_text(event: Event) -> str:
    return " … ".join(v.text for v in event.evidence)


def _describe(dev: Development) -> str:
    """One line: who, where, when, status (the development as an alert states it)."""
    who = ", ".join(dev.persons) if dev.persons else "–".join(dev.countries)
    level = (dev.level or "").replace("_", " ")
    where = f" in {dev.location}" if dev.location else ""
    when = f" on {dev.date}" if dev.date else ""
    mediator = f", mediated by {dev.mediator}" if dev.mediator else ""
    return f"{dev.kind} ({level or 'talks'}) {'–'.join(dev.countries)}: {who}{where}{when}{mediator} — {dev.status}"
