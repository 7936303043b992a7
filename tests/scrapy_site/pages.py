"""A generated news site with planted chrome and syndicated near-duplicates (stdlib only).

``build_site(seed)`` returns every page (path -> HTML) and the ground truth: which article
(cluster) each item page carries, and the chrome lines planted on it.

* ``/`` links to the listing pages ``/list/<n>.html``, which link to every item page, shuffled
  (so a syndicated copy may be crawled before its original).
* ``/news/<k>.html``: an original article inside the site's chrome (menu, cookie notice,
  share buttons, tags, RSS footer, author box, pagination, copyright).
* ``/partner/<partner>/<k>.html``: the same article republished by a partner site, with the
  partner's chrome, an extra credit line and one edited word: a near-duplicate of the original.
* ``/tag/<name>.html``: pages that are nothing but chrome (empty after cleaning).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field

SITE = "Riverwatch Weekly"
PARTNERS = {"valley-courier": "Valley Courier", "coastal-daily": "Coastal Daily"}

_SYLLABLES = ["brack", "en", "ford", "mill", "ash", "wick", "ton", "holm", "bar", "ly", "stow", "ridge",
              "dun", "mere", "cal", "der", "thorn", "by", "wel", "kirk", "lan", "gate", "hurst", "mor"]
_SUBJECTS = ["The harbour authority", "Local farmers", "The town council", "A group of residents",
             "The regional water board", "Teachers at the secondary school", "The fire service",
             "Shop owners on the high street", "The county planning office", "Volunteers from the rowing club"]
_VERBS = ["approved", "rejected", "questioned", "welcomed", "postponed", "criticised", "funded", "reviewed"]
_OBJECTS = ["a plan to rebuild the eastern sea wall", "new limits on summer water use",
            "the closure of the old railway bridge", "a proposal for a second bus route",
            "plans for a larger library", "the budget for road repairs", "a scheme to plant street trees",
            "the sale of the former cattle market", "longer opening hours at the swimming pool"]
_CLAUSES = ["before the winter storms arrive", "after a meeting that lasted until midnight",
            "despite objections from several neighbours", "following a public consultation",
            "citing rising costs and staff shortages", "as river levels continued to rise"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
_TAGS = ["harbour", "council", "farming", "schools", "transport", "weather", "budget", "planning"]


def chrome_top(site: str) -> list[str]:
    return [
        "Skip to content",
        "Home | News | Sport | Weather | Contact",
        "We use cookies to improve your experience on our site. Accept",
    ]


def chrome_bottom(site: str, title: str, tags: list[str]) -> list[str]:
    return [
        "Share on Facebook",
        "Share on Twitter",
        f"Tags: {', '.join(tags)}",
        f"The post {title} appeared first on {site}.",
        "About admin",
        "Leave a comment",
        "Previous article",
        "Next article",
        f"Copyright © 2024 {site}. All rights reserved.",
    ]


@dataclass(frozen=True)
class Article:
    """An article: its title and body paragraphs (each one line of text)."""

    number: int
    title: str
    paragraphs: tuple[str, ...]


@dataclass
class Site:
    """The pages and the ground truth of the generated site."""

    pages: dict[str, str] = field(default_factory=dict)
    cluster_of: dict[str, int] = field(default_factory=dict)  # item path -> article number
    chrome_of: dict[str, list[str]] = field(default_factory=dict)  # item path -> planted chrome lines
    body_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # item path -> its paragraphs
    articles: dict[int, Article] = field(default_factory=dict)
    chrome_only: list[str] = field(default_factory=list)  # paths of chrome-only pages

    @property
    def item_paths(self) -> list[str]:
        return sorted([*self.cluster_of, *self.chrome_only])


def _town(rng: random.Random, used: set[str]) -> str:
    while True:
        name = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
        if name not in used:
            used.add(name)
            return name


def _sentence(rng: random.Random, town: str) -> str:
    subject, verb, obj, clause = (rng.choice(x) for x in (_SUBJECTS, _VERBS, _OBJECTS, _CLAUSES))
    number, day = rng.randint(3, 97), rng.choice(_WEEKDAYS)
    return f"{subject} in {town} {verb} {obj} on {day} {clause}, and {number} people signed a petition about it."


def make_article(number: int, rng: random.Random, used: set[str]) -> Article:
    town = _town(rng, used)
    title = f"{town} {rng.choice(_VERBS)} {rng.choice(_OBJECTS).split(' ', 1)[1]}"
    paragraphs = tuple(" ".join(_sentence(rng, town) for _ in range(3)) for _ in range(4))
    return Article(number, title[0].upper() + title[1:], paragraphs)


def render(title: str, lines: list[str], links: list[str] = ()) -> str:  # type: ignore[assignment]
    """An HTML page: each text line a block element, then links."""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    anchors = "\n".join(f'<li><a href="{href}">{html.escape(href)}</a></li>' for href in links)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body>{body}<ul class='links'>{anchors}</ul></body></html>")


def _article_page(site: Site, path: str, name: str, article: Article, extra: list[str]) -> None:
    tags = sorted(random.Random(article.number).sample(_TAGS, 2))
    top, bottom = chrome_top(name), chrome_bottom(name, article.title, tags)
    lines = [*top, article.title, *extra, *article.paragraphs, *bottom]
    site.pages[path] = render(article.title, lines)
    site.cluster_of[path] = article.number
    site.chrome_of[path] = [*top, *bottom]
    site.body_of[path] = article.paragraphs


def _syndicated(article: Article, rng: random.Random) -> Article:
    """The partner's copy: one word of one paragraph edited."""
    paragraphs = list(article.paragraphs)
    which = rng.randrange(len(paragraphs))
    paragraphs[which] = paragraphs[which].replace(" signed ", " had signed ", 1)
    return Article(article.number, article.title, tuple(paragraphs))


def build_site(seed: int = 7, *, articles: int = 220, syndicated: int = 30, twice: int = 20,
               chrome_only: int = 8, per_list: int = 30) -> Site:
    """Build the site: ``articles`` originals, ``syndicated`` of them republished by one partner,
    the first ``twice`` of those by both, and ``chrome_only`` pages of pure chrome."""
    rng = random.Random(seed)
    site, used = Site(), set[str]()
    for number in range(articles):
        article = make_article(number, rng, used)
        site.articles[number] = article
        _article_page(site, f"/news/{number}.html", SITE, article, [])
    for position, number in enumerate(rng.sample(range(articles), syndicated)):
        chosen = list(PARTNERS.items())[: 2 if position < twice else 1]
        for slug, name in chosen:
            credit = f"This story by {SITE} is republished by {name} with permission."
            copy = _syndicated(site.articles[number], rng)
            _article_page(site, f"/partner/{slug}/{number}.html", name, copy, [credit])
    for number in range(chrome_only):
        path = f"/tag/{_TAGS[number % len(_TAGS)]}-{number}.html"
        lines = [*chrome_top(SITE), f"Tags: {_TAGS[number % len(_TAGS)]}", "Subscribe to our newsletter",
                 f"Copyright © 2024 {SITE}. All rights reserved."]
        site.pages[path] = render("Tag", lines)
        site.chrome_only.append(path)
    items = site.item_paths
    rng.shuffle(items)
    lists = [items[i : i + per_list] for i in range(0, len(items), per_list)]
    for number, links in enumerate(lists):
        site.pages[f"/list/{number}.html"] = render(f"Page {number}", [], links)
    site.pages["/"] = render(SITE, [], [f"/list/{n}.html" for n in range(len(lists))])
    return site
