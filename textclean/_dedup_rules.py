"""The reason codes of corpus dedup (``D1xx`` documents, ``D2xx`` paragraphs), as rule records.

Kept apart from the dedup machinery so the rule reference and the summaries can name these
codes without importing numpy.
"""

from __future__ import annotations

from textclean._rule import Rule

__all__ = ["DEDUP_RULES", "DOCUMENT_CODE_NAMES", "PARAGRAPH_CODE_NAMES"]

DEDUP_RULES: tuple[Rule, ...] = (
    Rule(
        code="D101",
        name="near-duplicate-document",
        summary="A document whose word 5-gram Jaccard similarity with a kept document reaches the threshold.",
        why="The same article syndicated across sites, or a page crawled twice with a changed date or "
        "teaser, adds nothing to a corpus; keeping one copy avoids over-weighting it. Every candidate pair "
        "is verified (signature agreement, then exact Jaccard on the shingle sets), and the removed "
        "document is itself similar to the one it is reported as a duplicate of.",
        examples=("A syndicated copy of an article with a different byline line and footer.",),
    ),
    Rule(
        code="D102",
        name="exact-duplicate-document",
        summary="A document whose simplified shingle set equals that of a kept document.",
        why="The same page crawled twice: an exact copy (after lowercasing, on its words) of a kept document.",
        examples=("The same page fetched twice by the crawler.",),
    ),
    Rule(
        code="D201",
        name="near-duplicate-paragraph",
        summary="A paragraph (line) nearly identical to one already kept elsewhere in the corpus.",
        why="Boilerplate paragraphs pasted into many pages (disclaimers, bios, teasers) repeat across "
        "documents with small changes; with `--unit paragraph` the later copies are dropped.",
        examples=("The author bio repeated, with a changed job title, under every article of a site.",),
    ),
    Rule(
        code="D202",
        name="exact-duplicate-paragraph",
        summary="A paragraph (line) identical (after simplification) to one already kept in the corpus.",
        why="Short lines cannot be compared by shingles reliably; exact hashing of the simplified line "
        "drops later copies of the same line across the corpus with `--unit paragraph`.",
        examples=("Subscribe to our newsletter for weekly updates.",),
    ),
)

DOCUMENT_CODE_NAMES = {rule.code: rule.name for rule in DEDUP_RULES if rule.code.startswith("D1")}
PARAGRAPH_CODE_NAMES = {rule.code: rule.name for rule in DEDUP_RULES if rule.code.startswith("D2")}
