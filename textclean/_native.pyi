# The optional compiled kernels (textclean/_native.c); their Python references are in textclean/_tokens.py
# (tokenize), textclean/_paragraph_prefilter.py (prefilter_pairs) and textclean/_matcher_probe.py (lines_holding).

from typing_extensions import Buffer

def tokenize(text: str, page_lines: Buffer, /) -> tuple[bytes, bytes, bytes, bytes, bytes, list[str]]: ...
def prefilter_pairs(
    ids: Buffer, lengths: Buffer, documents: Buffer, permuted: Buffer, bound: float, /
) -> tuple[bytes, bytes]: ...
def lines_holding(document: str, needles: list[str], /) -> list[list[int]]: ...
