"""GET /articles and /articles/{id} on SQLite and PostgreSQL: filters, cursor pages, detail, problems."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Store


def ids_of(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_list_is_newest_first_and_cursor_pages_are_stable(client: Any, store: Store) -> None:
    everything = ids_of(client.get("/articles", params={"limit": 200}))
    assert len(everything) == len(store.ids)
    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/articles", params=params).json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == everything
    dates = [i["published_at"] for i in client.get("/articles", params={"limit": 200}).json()["items"]]
    assert dates == sorted(dates, reverse=True)


def test_every_sort_pages_without_repeats(client: Any, store: Store) -> None:
    for sort in ("published_at", "-id", "id", "-relevance"):
        seen: list[int] = []
        cursor = None
        for _ in range(20):
            params: dict[str, Any] = {"limit": 4, "sort": sort, **({"cursor": cursor} if cursor else {})}
            body = client.get("/articles", params=params).json()
            seen += [i["id"] for i in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(store.ids.values()), sort


def test_filters(client: Any, store: Store) -> None:
    ids = store.ids
    assert set(ids_of(client.get("/articles", params={"outlet": ["alaraby"]}))) == {ids["seed2"], ids["extra1"]}
    fidan = set(ids_of(client.get("/articles", params={"person": "fidan"})))
    assert ids["extra2"] in fidan and ids["extra1"] not in fidan
    # Any spelling names the person.
    assert set(ids_of(client.get("/articles", params={"person": "هكان فيدان"}))) == fidan
    assert ids["extra1"] in ids_of(client.get("/articles", params={"place": "baghdad"}))
    assert ids["extra1"] in ids_of(client.get("/articles", params={"country": "IQ"}))
    relevant = ids_of(client.get("/articles", params={"relevant": "true", "limit": 200}))
    topical = ids_of(client.get("/articles", params={"topic": "turkey_syria_normalization", "limit": 200}))
    assert relevant and set(topical) <= set(relevant)
    every = client.get("/articles", params={"limit": 200}).json()["items"]
    day = sorted(i["published_at"][:10] for i in every)[2]
    windowed = client.get("/articles", params={"published_from": day, "published_to": day}).json()["items"]
    assert windowed and all(i["published_at"][:10] == day for i in windowed)
    assert ids_of(client.get("/articles", params={"person": "nobody-known"})) == []


def test_search_with_filters_and_snippets(client: Any, store: Store) -> None:
    body = client.get("/articles", params={"q": "جاويش أوغلو", "outlet": "arabi21"}).json()
    assert [i["id"] for i in body["items"]] == [store.ids["extra0"]]
    item = body["items"][0]
    assert "<mark>جاويش</mark>" in item["snippet"]
    assert "<mark>" in item["title_html"]
    ranked = client.get("/articles", params={"q": "الاجتماع", "sort": "rank"}).json()["items"]
    scores = [i["score"] for i in ranked]
    assert scores == sorted(scores, reverse=True) and all(s is not None for s in scores)


def test_article_detail(client: Any, store: Store) -> None:
    detail = client.get(f"/articles/{store.ids['seed0']}").json()
    assert detail["body"].startswith("كشفت الرئاسة التركية")
    names = {p["name"] for p in detail["persons"]}
    assert "Mevlüt Çavuşoğlu" in names
    mention = next(p for p in detail["persons"] if p["name"] == "Mevlüt Çavuşoğlu")["mentions"][0]
    assert detail["body"][mention["start"] : mention["end"]] == mention["text"]
    assert detail["events"] and all(e["evidence"] for e in detail["events"])
    assert detail["quotes"]
    assert {"id": store.ids["copy0"], "relation": "copy"}.items() <= detail["duplicates"][0].items()
    assert detail["developments"]
    copy = client.get(f"/articles/{store.ids['copy0']}").json()
    assert copy["duplicate_of_id"] == store.ids["seed0"]
    assert copy["duplicates"][0]["relation"] == "original"


def test_problems(client: Any, store: Store) -> None:
    missing = client.get("/articles/999999")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["detail"] == "article 999999 does not exist"
    invalid = client.get("/articles", params={"limit": 0})
    assert invalid.status_code == 422 and "limit" in invalid.json()["detail"]
    assert client.get("/articles", params={"cursor": "bm90LWEtY3Vyc29y"}).status_code == 422
    other_sort = client.get("/articles", params={"limit": 1}).json()["next_cursor"]
    assert client.get("/articles", params={"cursor": other_sort, "sort": "id"}).status_code == 422
    assert client.get("/articles", params={"sort": "rank"}).status_code == 422


def test_undated_articles_come_last_and_pages_cross_over(client: Any, store: Store) -> None:
    from sqlalchemy import update

    from db.models import Article
    from db.session import session_scope

    undated = {store.ids["extra0"], store.ids["seed3"]}
    with session_scope() as session:
        session.execute(update(Article).where(Article.id.in_(undated)).values(published_at=None))
    for sort in ("-published_at", "published_at"):
        seen: list[int] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 2, "sort": sort, **({"cursor": cursor} if cursor else {})}
            body = client.get("/articles", params=params).json()
            seen += [i["id"] for i in body["items"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(store.ids.values()), sort
        assert set(seen[-2:]) == undated, sort
