"""Crawl the test site with Scrapy and the textclean pipeline (run as a script, in its own process).

    python tests/scrapy_site/crawl.py START_URL --feed items.jsonl --stats stats.json [--set KEY=JSON]...

Scrapy's Twisted reactor cannot be restarted in one process, so each test crawl is a subprocess.
The spider follows the listing pages and yields one item per page: its URL, title and the text of
its block elements, one per line (chrome included, as a scraper would collect it).
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def make_spider(start_url: str) -> Any:
    import scrapy

    class SiteSpider(scrapy.Spider):
        name = "testsite"
        start_urls = [start_url]  # noqa: RUF012 - Scrapy declares start_urls on the class

        def parse(self, response: Any) -> Any:
            for href in response.css("ul.links a::attr(href)").getall():
                callback = self.parse if "/list/" in href else self.parse_page
                yield response.follow(href, callback=callback)

        def parse_page(self, response: Any) -> Any:
            lines = [" ".join(p.css("::text").getall()).strip() for p in response.css("body p")]
            yield {"url": response.url, "title": response.css("title::text").get(), "text": "\n".join(lines)}

    return SiteSpider


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("start_url")
    parser.add_argument("--feed", required=True, help="JSON lines file of the items kept")
    parser.add_argument("--stats", required=True, help="JSON file of the crawl stats")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=JSON", help="a Scrapy setting")
    args = parser.parse_args(argv)

    from scrapy.crawler import CrawlerProcess

    settings: dict[str, Any] = {
        "ITEM_PIPELINES": {"textclean.contrib.scrapy.TextCleanPipeline": 300},
        "FEEDS": {args.feed: {"format": "jsonlines", "encoding": "utf-8"}},
        "LOG_LEVEL": "WARNING",
        "ROBOTSTXT_OBEY": False,
        "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "DOWNLOAD_DELAY": 0,
    }
    for assignment in args.set:
        key, _, value = assignment.partition("=")
        settings[key] = json.loads(value)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(make_spider(args.start_url))
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    with open(args.stats, "w", encoding="utf-8") as handle:
        json.dump(stats, handle, default=str, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
