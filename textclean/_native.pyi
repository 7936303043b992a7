# The optional compiled kernels (textclean/_native.c); their Python references are in textclean/_tokens.py
# (tokenize), textclean/_paragraph_prefilter.py (prefilter_pairs, trigram_overlaps,
# word_hashes), textclean/_paragraphs.py (paragraph_rows: _repeats_of_pages_reference),
# textclean/_matcher_probe.py (lines_holding), textclean/_matcher_routes.py (route_spec and
# route_lines: Routes.routed, Routes.reference), textclean/_lineshape_classes.py (code_blocks, class_bits) and
# textclean/_lineshape_rows.py (row_shapes), textclean/_minhash.py (minhash_shingles, minhash_signatures,
# sorted_intersections: the numpy reference; textclean/_minhash_kernels.py picks them), textclean/_normalize_scan.py
# (normalize_scan: split_pieces and find_suspect_lines in textclean/_normalize_lines.py are the reference),
# textclean/_lexical.py (lexical_columns, lexical_flags), textclean/_classify_gates_native.py (gate_words,
# word_masks, start_masks).

from typing_extensions import Buffer

def tokenize(
    pages: list[list[str]], repeat_chars: int, /
) -> tuple[bytes, bytes, bytes, bytes, bytes, list[str], bytes]: ...
def prefilter_pairs(
    ids: Buffer,
    lengths: Buffer,
    documents: Buffer,
    hashes: Buffer,
    multipliers: Buffer,
    offsets: Buffer,
    bound: float,
    /,
) -> tuple[bytes, bytes]: ...
def trigram_overlaps(ids: Buffer, lengths: Buffer, later: Buffer, earlier: Buffer, /) -> tuple[bytes, bytes] | None: ...
def word_hashes(words: list[str], used: Buffer, /) -> bytes | None: ...
def lines_holding(document: str, needles: list[str], /) -> list[list[int]]: ...
def route_spec(
    starts: object,
    keys: object,
    ends: list[object],
    open: list[int],
    words: object,
    firsts: object,
    digits: object,
    owners: list[int],
    filed: int,
    shapes: Buffer,
    tail: str,
    twins: str,
    /,
) -> object: ...
def route_lines(
    spec: object, lines: list[str], lead_of: object, /
) -> tuple[list[int], list[int], list[tuple[int, ...] | None]]: ...
def code_blocks(text: str, /) -> tuple[bytes, bytes]: ...
def class_bits(text: str, table: Buffer, astral: Buffer, astral_bits: Buffer, /) -> tuple[bytes, bytes]: ...
def row_shapes(text: str, bits: Buffer, tails: Buffer, rows: int, /) -> tuple[bytes, bytes]: ...
def minhash_shingles(
    points: Buffer,
    text_bounds: Buffer,
    table: Buffer,
    fold_digits: bool,
    ngram: int,
    position_mult: Buffer,
    ngram_mult: Buffer,
    out: Buffer,
    bounds: Buffer,
    /,
) -> None: ...
def minhash_signatures(hashes: Buffer, bounds: Buffer, a: Buffer, b: Buffer, signatures: Buffer, /) -> None: ...
def sorted_intersections(hashes: Buffer, bounds: Buffer, left: Buffer, right: Buffer, out: Buffer, /) -> None: ...
def normalize_scan(
    text: str, flags: Buffer, contexts: Buffer, clues: Buffer, entities: bool, form: bool, /
) -> tuple[list[tuple[int, int]], list[str], list[int], list[int]]: ...
def lexical_columns(
    local: Buffer,
    line_starts: Buffer,
    page_starts: Buffer,
    page_distinct: Buffer,
    distinct_starts: Buffer,
    flags: Buffer,
    pages: list[int],
    rows: list[list[int]] | None,
    words: Buffer,
    least: float,
    out: Buffer,
    /,
) -> None: ...
def lexical_flags(words: list[str], lexicon: frozenset[str] | set[str], letters: int, /) -> bytes: ...
def gate_words(needles: list[str], bits: list[int], always: int, twins: str, /) -> object: ...
def word_masks(gate: object, text: str, starts: Buffer, sizes: Buffer, /) -> bytes: ...
def start_masks(
    text: str,
    bits: Buffer,
    starts: Buffer,
    sizes: Buffer,
    letter: int,
    classes: Buffer,
    keys: Buffer,
    masks: Buffer,
    char_sets: list[tuple[int, str]],
    /,
) -> bytes: ...
def paragraph_rows(
    pages: list[tuple[list[str], list[object], Buffer, Buffer]], verdict_type: type, vocabulary: int, min_words: int, /
) -> tuple[bytes, bytes, bytes, bytes, bytes, bytes, bytes, bytes] | None: ...
