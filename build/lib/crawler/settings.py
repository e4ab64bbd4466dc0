"""Scrapy settings for Rasad's crawler, starting from Scrapy's polite project defaults.

Values that depend on the deployment (user agent, timeout, page-size cap) come from
`rasad.settings` in `crawler.runner.scrapy_settings()`.
"""

BOT_NAME = "rasad"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

ROBOTSTXT_OBEY = True

# Politeness: few parallel requests per outlet, adapted to its latency by AutoThrottle.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False
REDIRECT_MAX_TIMES = 5

DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "ar,en;q=0.5",
}

ITEM_PIPELINES = {
    "crawler.pipelines.StoreRawPagePipeline": 300,
}

EXTENSIONS = {
    "crawler.extensions.CrawlRunRecorder": 500,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "WARNING"
# The `rasad` command installs its own logging handler; Scrapy must not add a second one.
LOG_INSTALL_ROOT_HANDLER = False

DOWNLOADER_MIDDLEWARES = {
    # After RetryMiddleware (550) in response order, so the wait happens before the retry.
    "crawler.middlewares.RetryAfterMiddleware": 560,
}
RASAD_RETRY_AFTER_MAX = 30.0
