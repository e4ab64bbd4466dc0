"""A local web site imitating five Arabic news outlets, so crawls and tests run offline.

Start it with `python -m rasad.fixture_site` (or `make_server(...)` in tests); see `server.py`
for the URL layout, the publish endpoint and the fault routes.
"""

from rasad.fixture_site.server import FixtureSiteError, make_server, publish, serve, start_in_thread

__all__ = ["FixtureSiteError", "make_server", "publish", "serve", "start_in_thread"]
