"""The per-document pipeline: normalise, classify, drop repeats, assemble.

``Cleaner(config).clean(text)`` is a pure function of ``(text, config)``: the only state a
``Cleaner`` holds is its compiled rules, built once in ``__init__``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from textclean._assemble import Classified, assemble, assemble_counts
from textclean._classify import CompiledRules, classify_many, compile_rules, match_many
from textclean._config import CleanConfig
from textclean._features import PreparedLines, prepare_many
from textclean._normalize import normalize_lines
from textclean._paragraphs import PARAGRAPH_RULES, repeats_of_pages
from textclean._result import CleanResult, CleanStats
from textclean._rule import Verdict
from textclean._tokens import PageTokens, tokenize_pages

__all__ = ["Cleaner", "clean_text"]

_PARAGRAPH_RULE_NAMES = {rule.code: rule.name for rule in PARAGRAPH_RULES}


class TemplateMatcher(Protocol):
    """Learned site templates (see ``textclean._templates``): which lines of a page are its site's template."""

    def match(self, site: str, lines: Sequence[str]) -> dict[int, Verdict]:
        """Verdicts (``T0xx`` removals) for the template lines among ``lines`` (normalised) of a page of ``site``."""
        ...


class Cleaner:
    """A reusable cleaner: rules compiled once, then ``clean`` any number of documents.

    Instances are immutable and picklable, so they can be shipped to worker processes.

    Examples:
        >>> cleaner = Cleaner()
        >>> page = "Share on Facebook\\nThe river rose two metres overnight, flooding the old town.\\n"
        >>> result = cleaner.clean(page)
        >>> result.text
        'The river rose two metres overnight, flooding the old town.'
        >>> [(r.code, r.rule) for r in result.removed]
        [('B030', 'share-buttons')]
    """

    def __init__(self, config: CleanConfig | None = None, *, templates: TemplateMatcher | None = None) -> None:
        self.config = config or CleanConfig()
        self.rules: CompiledRules = compile_rules(self.config)
        self.templates = templates

    def __repr__(self) -> str:
        return f"Cleaner({self.config!r})"

    def classify(self, text: str, *, site: str | None = None) -> Classified:
        """Line spans in ``text``, normalised lines, and one verdict per line (before assembly).

        ``site`` names the page's site for the learned site templates, if the cleaner has any.
        """
        spans, lines = normalize_lines(text, self.config.normalize)
        return self._classify_many([(spans, lines)], [site])[0]

    def _classify_many(
        self,
        normalized: Sequence[tuple[list[tuple[int, int]], list[str]]],
        sites: Sequence[str | None],
        prepared: Sequence[PreparedLines] | None = None,
        matched: Sequence[Sequence[Verdict | None]] | None = None,
    ) -> list[Classified]:
        """Classify documents' lines (:func:`~textclean._classify.classify_many`), then find the batch's repeated
        paragraphs at once (each document's own repeats, as alone)."""
        table = tokenize_pages([lines for _, lines in normalized])  # the batch's words, numbered once
        words = [table.page(k) for k in range(len(normalized))]
        classified = classify_many(
            [lines for _, lines in normalized], self.rules, tokens=words, prepared=prepared, matched=matched
        )  # the words serve the line model and paragraph dedup
        pages: list[tuple[list[str], PageTokens, list[Verdict]]] = []
        for (_, lines), site, page_words, verdicts in zip(normalized, sites, words, classified, strict=True):
            if self.templates is not None and site is not None:
                for index, verdict in self.templates.match(site, lines).items():
                    if verdicts[index].keep:
                        verdicts[index] = verdict
            pages.append((lines, page_words, verdicts))
        if self.config.dedup_paragraphs:
            marked = self._mark_repeats(pages)
        else:
            marked = [(verdicts, {}) for _, _, verdicts in pages]
        return [
            Classified(spans, lines, verdicts, twins, words.counts.tolist())
            for (spans, _), (lines, words, _), (verdicts, twins) in zip(normalized, pages, marked, strict=True)
        ]

    def clean(self, text: str, *, doc_id: Any = None, site: str | None = None) -> CleanResult:
        """Clean one document.

        Args:
            text: the scraped text.
            doc_id: an id carried into the result (and the report).
            site: the page's site (e.g. its URL's host), for learned site templates.

        Returns:
            The cleaned text, every removal with its reason, and the line and word counts.
        """
        return assemble(text, self.classify(text, site=site), doc_id, self.config.evidence)

    def clean_many(
        self, texts: Sequence[str], *, doc_ids: Sequence[Any] | None = None, sites: Iterable[str | None] | None = None
    ) -> list[CleanResult]:
        """Clean several documents: the same results as :meth:`clean` of each, faster on many small pages.

        The work that does not depend on a line's page (its shape, the pattern rules) is done for the
        whole batch at once; everything else is per document, as in :meth:`clean`.

        Args:
            texts: the scraped texts.
            doc_ids: an id for each (carried into its result), or ``None``.
            sites: each page's site for learned site templates, or ``None``.

        Examples:
            >>> pages = ["Share on Facebook\\nThe river rose two metres overnight.", "Cookies help us. Accept all"]
            >>> [r.text for r in Cleaner().clean_many(pages)]
            ['The river rose two metres overnight.', '']
        """
        ids = list(doc_ids) if doc_ids is not None else [None] * len(texts)
        site_list = list(sites) if sites is not None else [None] * len(texts)
        if not len(ids) == len(site_list) == len(texts):
            raise ValueError("clean_many: texts, doc_ids and sites must have the same length")
        classified = self._classified_many(texts, site_list)
        return [
            assemble(text, found, doc_id, self.config.evidence)
            for text, found, doc_id in zip(texts, classified, ids, strict=True)
        ]

    def texts_and_counts(
        self, texts: Sequence[str], *, sites: Iterable[str | None] | None = None
    ) -> list[tuple[str, CleanStats]]:
        """The cleaned text and the counts of each document, without the removals: :meth:`clean_many` for the
        callers that need no :class:`~textclean.Removal` (the command line without a report), faster.

        Each pair equals ``(result.text, CleanStats.from_result(result))`` of the document's :meth:`clean_many`
        result.

        Examples:
            >>> text, stats = Cleaner().texts_and_counts(["Share on Facebook\\nThe river rose two metres."])[0]
            >>> text, stats.lines_removed, stats.by_code
            ('The river rose two metres.', 1, {'B030': 1})
        """
        site_list = list(sites) if sites is not None else [None] * len(texts)
        if len(site_list) != len(texts):
            raise ValueError("texts_and_counts: texts and sites must have the same length")
        return [assemble_counts(found) for found in self._classified_many(texts, site_list)]

    def _classified_many(self, texts: Sequence[str], sites: Sequence[str | None]) -> list[Classified]:
        """Normalise, prepare and match a batch at once, then classify it (:meth:`_classify_many`)."""
        normalized = [normalize_lines(text, self.config.normalize) for text in texts]
        prepared = prepare_many([lines for _, lines in normalized])
        matched = match_many(prepared, self.rules)
        return self._classify_many(normalized, sites, prepared, matched)

    def _mark_repeats(
        self, pages: Sequence[tuple[list[str], PageTokens, list[Verdict]]]
    ) -> list[tuple[list[Verdict], dict[int, tuple[int, float]]]]:
        """Each document's verdicts with its repeated kept paragraphs removed, and their twins (line, similarity).

        The pages' words are numbered in one token table (the batch's)."""
        config = self.config
        found = repeats_of_pages(
            pages,
            threshold=config.near_duplicate_threshold,
            min_words=config.near_duplicate_min_words,
            num_perm=config.num_perm,
            seed=config.seed,
        )
        out = []
        for (_, _, verdicts), repeats in zip(pages, found, strict=True):
            marked = list(verdicts)
            twins: dict[int, tuple[int, float]] = {}
            for repeat in repeats:  # index and twin are line numbers
                twin_line = repeat.twin + 1
                twins[repeat.index] = (twin_line, repeat.similarity)
                evidence = f"copy of line {twin_line}"
                if repeat.code != "D001":
                    evidence += f" (estimated similarity {repeat.similarity:.2f})"
                marked[repeat.index] = Verdict(
                    keep=False, code=repeat.code, rule=_PARAGRAPH_RULE_NAMES[repeat.code], evidence=evidence
                )
            out.append((marked, twins))
        return out


_DEFAULT_CLEANER: Cleaner | None = None


def clean_text(text: str, config: CleanConfig | None = None, *, doc_id: Any = None) -> CleanResult:
    """Clean one document (a one-shot shortcut for ``Cleaner(config).clean(text)``).

    With the default configuration the compiled rules are reused between calls; in a
    pipeline with a custom configuration, build one :class:`Cleaner` and reuse it.

    Examples:
        >>> page = "Cookies help us deliver our services. Accept all\\nThe vote passed 52 to 48 after a long debate."
        >>> result = clean_text(page)
        >>> result.text
        'The vote passed 52 to 48 after a long debate.'
        >>> result.removed[0].code, result.removed[0].line_start
        ('B020', 1)
    """
    global _DEFAULT_CLEANER
    if config is None:
        if _DEFAULT_CLEANER is None:
            _DEFAULT_CLEANER = Cleaner()
        return _DEFAULT_CLEANER.clean(text, doc_id=doc_id)
    return Cleaner(config).clean(text, doc_id=doc_id)
