# The optional compiled kernels (textclean/_native.c); their Python references are in textclean/_tokens.py
# (tokenize) and textclean/_paragraph_prefilter.py (prefilter_pairs).

from typing_extensions import Buffer

def tokenize(text: str, page_lines: Buffer, /) -> tuple[bytes, bytes, bytes, bytes, bytes, list[str]]: ...
def prefilter_pairs(
    ids: Buffer, lengths: Buffer, documents: Buffer, permuted: Buffer, bound: float, /
) -> tuple[bytes, bytes]: ...
