from crawler.middlewares import retry_after_seconds


def test_retry_after_delta_seconds() -> None:
    assert retry_after_seconds(b"7") == 7.0


def test_retry_after_http_date() -> None:
    # 2026-01-01 00:00:10 GMT, ten seconds after "now".
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:10 GMT", now=1767225600.0) == 10.0


def test_retry_after_garbage() -> None:
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None
