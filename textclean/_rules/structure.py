"""Context and structure rules, implemented in :mod:`textclean._classify` (``B5xx``).

These rules carry no patterns: they look at a line's shape, its neighbours and its place in the
page. Their examples are whole documents (lines joined by newlines): the classifier must remove
at least one line of each example with the rule's code, and none of its keeps.
"""

from __future__ import annotations

from textclean._rule import Rule

__all__ = ["STRUCTURE_RULES"]

_ARTICLE = (
    "The river rose two metres overnight, flooding the old town and forcing hundreds of families from their homes.\n"
    "Rescue teams worked through the night, and by morning most of the residents had reached the shelters.\n"
    "The mayor said the town would need months to repair the damage to its bridges and roads."
)
_LONG_ARTICLE = _ARTICLE + (  # a page long enough for the header and footer bands (short pages are lenient)
    "\nVolunteers from the neighbouring villages brought sandbags, boats and hot food to the families who stayed."
    "\nThe regional water authority said the river had not risen so fast since the great flood of 1953."
    "\nInsurers expect thousands of claims, and the government promised emergency grants for the worst-hit streets."
    "\nSchools in the old town will stay closed for the rest of the week while engineers inspect the buildings."
    "\nResidents said the warning sirens came too late, and the council has promised a full inquiry."
)

MENU_RUN = Rule(
    code="B501",
    name="menu-run",
    summary="Runs of short link-like lines: navigation menus, link lists, section indexes.",
    why=(
        "A scraper turns every menu item into its own line. Several short lines in a row, without sentence "
        "punctuation, far from the text's long lines, are a menu."
    ),
    mode="balanced",
    examples=("Home\nNews\nSport\nWeather\nTravel\nBusiness\nCulture\n" + _ARTICLE,),
    keeps=(_ARTICLE + "\nIngredients:\n- 2 eggs\n- 200 g flour\n- 1 cup of milk\nMix everything and bake for an hour.",),  # noqa: E501 (one phrase table row)
)

SEPARATOR_MENU = Rule(
    code="B502",
    name="separator-menu",
    summary="Menus on one line: short items joined by separators ('Home | News | Sport').",
    why="Items joined by '|', '·', '•' or '/' with no sentence between them are a menu bar, not prose.",
    mode="balanced",
    examples=("Cars | Jobs | Homes | Customer Care Center\n" + _ARTICLE,),
    keeps=(_ARTICLE + "\nThe vote was 12 | 7 in favour, the clerk noted, after a long and bitter debate in the chamber.",),  # noqa: E501 (one phrase table row)
)

HEADER_BAND = Rule(
    code="B503",
    name="header-band",
    summary="Short lines in the page's header band, before the main text starts.",
    why=(
        "Site names, taglines and widget labels fill the top of a scraped page. Short lines before the first "
        "run of real text are chrome unless they lead straight into it (a title, a byline, a dateline)."
    ),
    mode="balanced",
    examples=("Riverside News\nYour source for local news\n\n" + _LONG_ARTICLE,),
    keeps=("Flood waters recede in the old town\nBy Jane Rivers\n" + _ARTICLE,),
)

FOOTER_BAND = Rule(
    code="B504",
    name="footer-band",
    summary="Short lines in the page's footer band, after the main text ends.",
    why="After the last paragraph, scraped pages end with link lists, site names and legal lines.",
    mode="balanced",
    examples=(_LONG_ARTICLE + "\nRiverside News Ltd\nPrinted in Riverside",),
    keeps=(_ARTICLE + "\n(Reporting by Jane Rivers; editing by Tom Bank)",),
)

COMMENT_SECTION = Rule(
    code="B505",
    name="comment-section",
    summary="Reader-comment sections, from their header to their end (kept with keep_comments).",
    why=(
        "Comments are other people's text about the page, not the page. A section starts at a header such as "
        "'12 Comments', 'Reader Comments (4)', 'One Response to …' or 'Leave a Reply' below the article's first "
        "long line, and is confirmed by two comment markers in the next 40 lines ('X says:', 'Reply', 'Posted by: X "
        "| date', a line with a clock time), not all of them bare dates."
    ),
    mode="balanced",
    examples=(
        _ARTICLE + "\n3 Comments\nMary says:\nMarch 3, 2021 at 4:12 pm\nGreat article, thank you for writing it!"
        "\nReply\nTom says:\nI was there and it was worse than described, the whole street was under water.",
    ),
    keeps=(
        _ARTICLE + "\nComments from the mayor were published in full on Tuesday, along with the budget.",
        # a "Comments" link in the top menu, above the article and its dateline, opens nothing
        "Home\nComments\nPosted by Ann Lee on March 3, 2021 at 4:12 pm\nMarch 3, 2021\n" + _ARTICLE,
    ),
)

ARCHIVE_LIST = Rule(
    code="B506",
    name="archive-list",
    summary="Archive and category widgets: runs of 'label (count)' or 'Month Year' lines ('► May 2012 (7)').",
    why=(
        "Blog sidebars list their archive months and categories, often with a post count each. Three or more "
        "lines in a row, each a short label followed by a number in parentheses (not a year from 1000 to 2099), "
        "or each a month and a year, are such a widget in any language; a list of titles with their years "
        "('Titanic (1997)') is not."
    ),
    mode="conservative",
    examples=(_ARTICLE + "\nArchives\n► November 2012 (31)\n► October 2012 (12)\n▼ September 2012 (8)",
              "Categories\nPolitics (48)\nSport (12)\nWeltnachrichten (7)\n" + _ARTICLE,
              _ARTICLE + "\nBlog Archive\nJanuary 2004\nDecember 2003\nNovember 2003\nOctober 2003"),
    keeps=(
        _ARTICLE + "\nHis best-known films:\nTitanic (1997)\nAvatar (2009)\nThe Terminator (1984)",
        _ARTICLE + "\nThe results (in seats):\nLabour (412)\nConservatives (166)",
    ),
)

LINE_MODEL = Rule(
    code="B510",
    name="low-content-line",
    summary="Lines the line model scores as chrome: short, link-like, repeated or isolated from the text.",
    why=(
        "A small linear model combines the line's shape (length, punctuation, digits, capitals), its neighbours, "
        "its position and its words (how many it shares with the page's other long lines, how many are chrome "
        "words of the phrase tables); the evidence names the features that weighed most."
    ),
    mode="balanced",
    examples=(
        "Weather\nTraffic\nLottery\n" + _ARTICLE + "\nMost Viewed\nCrossword\nHoroscopes\nPuzzles\nTV Listings",
    ),
    keeps=(_ARTICLE,),
)

STRUCTURE_RULES: tuple[Rule, ...] = (
    MENU_RUN,
    SEPARATOR_MENU,
    HEADER_BAND,
    FOOTER_BAND,
    COMMENT_SECTION,
    ARCHIVE_LIST,
    LINE_MODEL,
)
