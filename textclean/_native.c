/* textclean._native: the optional compiled kernels of textclean.
 *
 * Each kernel has a pure-Python reference that gives the same results (textclean/_tokens.py for
 * `tokenize`); the tests compare the two on generated text, and the package works without this module
 * (a machine with no C compiler installs the pure-Python path). See docs/architecture.md.
 *
 * tokenize(pages, repeat_chars) -> (ids, local, line_words, page_distinct, page_sizes, vocabulary, repeats)
 *
 *   pages         a batch's pages: a list of lists of str (each page's lines)
 *   repeat_chars  the longest line whose repeat key is lowered
 *
 * Each line is lowercased on its own, as str.lower does it: an ASCII line here, byte by byte into a scratch
 * buffer; a line of the BMP here too, character by character by a table of the BMP's lowercase (bmp_lower);
 * a line holding U+0130 (two characters lowered), U+03A3 (a final sigma hangs on its neighbours) or a character
 * beyond the BMP by str.lower itself. Words are the maximal runs of word characters of the lowered line, as
 * `re.compile(r"\w+").findall` finds them: a character is a word character when it is alphanumeric
 * (`str.isalnum`) or "_" (the definition of `\w` in the `re` module's str patterns); a "\n" inside a line
 * splits words as a space does. Every word occurrence is numbered twice: by the batch's
 * vocabulary (the distinct words in order of first occurrence) and by its page's own (the page's
 * distinct words in order of first occurrence in the page). Words never become Python objects except
 * the vocabulary's, one per distinct word.
 *
 *   ids            int32 per word: its number in the batch vocabulary
 *   local          int32 per word: its number in the page's distinct words
 *   line_words     int32 per line: how many words it has
 *   page_distinct  int32 per (page, distinct word): the vocabulary number of each page's distinct words,
 *                  page after page, in the page's order
 *   page_sizes     int32 per page: how many distinct words it has
 *   vocabulary     list of str: the distinct words
 *   repeats        int32 per line: how many lines of its page have its repeat key, its stripped text (str.strip),
 *                  lowered when at most repeat_chars long (str.lower(line).strip() == str.lower(line.strip()):
 *                  no whitespace is cased); 0 for a blank line. Keys are hashed, then compared in full.
 *
 * The int32 arrays come back as bytes (numpy.frombuffer reads them).
 *
 * prefilter_pairs(ids, lengths, documents, hashes, multipliers, offsets, bound) -> (later, earlier)
 *
 *   The word-set prefilter of near-repeated paragraphs (textclean/_paragraph_prefilter.py holds its numpy
 *   reference). Paragraph p has lengths[p] >= 1 words, ids end to end (int32 numbers of the words in play);
 *   documents[p] (int64, ascending) is its document; hashes (uint32 per word in play) are the words' CRC-32, and
 *   word w's permuted hashes are (hashes[w] x multipliers[k] + offsets[k]) mod 2^32 for the PERMUTATIONS (16)
 *   uint64 multipliers and offsets. A paragraph's signature is the minimum of its words' rows; band b is the pair
 *   of columns 2b, 2b + 1. Two paragraphs of one document meet when some band is equal; a meeting pair is kept
 *   when its shared distinct words reach bound x the distinct words of the two together. The pairs come back
 *   as two int64 arrays (bytes), sorted by later paragraph, then earlier.
 *
 * paragraph_rows(pages, verdict_type, vocabulary, min_words) -> (kept, sizes, twins, chosen, owners, words,
 *                                                                lengths, used) or None
 *
 *   The front of the paragraph repeats for a batch (textclean/_paragraphs.py: repeats_of_pages; its reference
 *   _repeats_of_pages_reference). Each page is (lines, verdicts, ids, starts): its lines (list of str), a verdict
 *   per line (list of verdict_type), its words' vocabulary numbers (int32) and where each line's words start
 *   (int64, one more entry). A line is kept when its verdict's keep is True and it is not empty (a line of four
 *   words or more is not read: its words say so); kept lines are numbered per page (their positions). A kept line of at least four words or twenty characters is an exact
 *   copy of the first earlier one with the same key: its word numbers, or its stripped text (str.strip) when it
 *   has no words; a hash picks the table slot, the keys are compared in full. With min_words >= 1, the kept
 *   lines that are no copy and have at least min_words words are the near-copy candidates. Out, as bytes:
 *   kept (int64 line numbers, page after page), sizes (int64 kept lines per page), twins (int64 per kept line:
 *   its first copy's position, or -1), chosen and owners (int64 per candidate: its position and page), words
 *   and lengths (the candidates' words end to end, int32, renumbered 0, 1, ... by vocabulary order among the
 *   words in play; int64 words per candidate) and used (int64: the vocabulary number of each word in play).
 *   None when a page is outside what the kernel reads (lists of other lengths or types, a verdict of another
 *   type or a keep that is not a bool, arrays of other item sizes): the caller's reference takes the batch.
 *
 * trigram_overlaps(ids, lengths, later, earlier) -> (shared, union) or None
 *
 *   The trigram stage of the near-repeat prefilter (textclean/_paragraph_prefilter.py holds its numpy
 *   reference). Paragraph p has lengths[p] >= 0 words, ids end to end (int32, at least 0); its trigrams are its
 *   runs of three consecutive words (none under three words). For each pair k (later[k], earlier[k], int64
 *   paragraph numbers): how many distinct trigrams the two share and how many they have together, as two int64
 *   arrays (bytes). None when a word number is 2^21 or more (a trigram no longer packs into one uint64 key).
 *
 * word_hashes(words, used) -> bytes or None
 *
 *   The CRC-32 (zlib's) of the UTF-8 bytes of words[i] for each i of used (int64), as uint32 (the prefilter's
 *   word hashes; textclean/_paragraph_prefilter.py holds the zlib reference). None when a word holds a lone
 *   surrogate, which has no UTF-8 form (the caller's reference then raises as str.encode does).
 *
 * lines_holding(document, needles) -> list of lists of int
 *
 *   For each needle (a non-empty str without "\n"), the lines of document (split at "\n") that hold it, in
 *   order, each once: `needle in line` for every line, found in one Aho-Corasick pass over the document
 *   (textclean/_matcher_probe.py holds the str.find reference).
 *
 * route_spec(starts, keys, ends, open, words, firsts, digits, owners, filed, shapes, tail, twins) -> capsule
 * route_lines(spec, lines, lead_of) -> (rows, starts, routes)
 *
 *   The pattern rules' routes (Routes.route in textclean/_matcher_routes.py; Routes.routed is the Python path and
 *   Routes.reference the plain definition): for each lowered line, the alternatives ("routes", numbered in the
 *   order the matcher tries them: the filed ones, then the anchored, then the floating) whose probes hold on it.
 *   route_spec compiles the tables once: the start strings (matched respaced) and the filing keys (as they are) as
 *   tries whose strings carry route lists, the final words reversed as two such tries (lines starting with a
 *   letter, the others) and the routes of an open end, the words as an Aho-Corasick automaton with two route
 *   lists each, the first characters and the routes any decimal digit starts, each route's alternative (its
 *   owner: an alternative filed several times is tried once) and shape (struct RouteShape, textclean/
 *   _matcher_shape.py), the tail characters stripped before the final words and the case twins. A line's lead is
 *   the length of its leading [\W\d_]* (the regex module's classes): measured here while its characters are
 *   ASCII or letters, else by lead_of(line). The lines some route holds on come back in order: their numbers,
 *   leads and routes (a tuple, in order, or None for a line holding a case twin: the matcher tries every
 *   alternative there).
 *
 * code_blocks(text) -> (blocks, astral)
 *
 *   Which 256-code-point blocks of the BMP text uses (bytes of 256, 1 for each used block) and its distinct code
 *   points beyond the BMP (uint32, sorted, as bytes): the blocks of the class table (textclean/_lineshape_classes.py)
 *   that must be filled, and the astral characters whose class bits must be looked up, before class_bits.
 *
 * class_bits(text, table, astral, astral_bits) -> (bits, points)
 *
 *   The class bits of each character of text (uint16, as bytes): table[ch] (uint16 per BMP code point) below
 *   U+10000, else astral_bits[k] where astral[k] == ch. The bits come from Python predicates (str methods, re and
 *   regex classes) that C cannot reproduce, so Python fills the table; this is the lookup, reading the str in place.
 *   Also the code points of text, as bytes: uint8 when it is ASCII, else uint32.
 *
 * row_shapes(text, bits, tails, rows) -> (measures, mean_logs)
 *
 *   text is rows non-empty lines joined by "\n", bits its class_bits, tails a uint8 table of the BMP (the TAIL_*
 *   flags of each code point). Per line, seventeen int32 (as bytes, row after row): the counts of the five counted
 *   classes, str.split tokens, those starting with a capital, commas; how the line ends (TAIL_* flags); the gates
 *   (GATE_* flags); where the URL and the date patterns may first match (-1: nowhere); whether the bullet, byline,
 *   URL and date patterns match (0, 1, or 2: left to the pattern) and how many separators it holds; and per line
 *   (float64, as bytes) log1p of its length over its tokens (at least one), as math.log1p. The class bits
 *   are laid out as in textclean/_lineshape_classes.py; the columns and flags are those of
 *   textclean/_lineshape_rows.py (row_measures), which holds the reference (numpy, and the patterns themselves).
 *
 * minhash_shingles(points, text_bounds, table, fold_digits, ngram, position_mult, ngram_mult, out, bounds)
 * minhash_signatures(hashes, bounds, a, b, signatures)
 * sorted_intersections(hashes, bounds, left, right, out)
 *
 *   The three loops of MinHash signing, as textclean/_minhash_kernels.py has them in numba (textclean/_minhash.py
 *   holds the numpy reference): each text's sorted unique shingle hashes (words of \w characters by the flags
 *   table, hashed by position, n-grams combined and mixed), each group's affine32 signature row folded in place,
 *   and the common values of pairs of sorted groups. They read and write the caller's numpy arrays in place.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#define PREFETCH(address) __builtin_prefetch(address) /* a hint: fetch what a later iteration reads */
#else
#define ALWAYS_INLINE inline
#define PREFETCH(address) ((void)0)
#endif

/* A growable array of int32 or int64 values (the kernels' outputs). */
typedef struct {
    char *data;
    Py_ssize_t size, capacity; /* in items */
} Buffer;

static int buffer_grow(Buffer *b, size_t item) {
    Py_ssize_t capacity = b->capacity ? b->capacity * 2 : 1024;
    char *data = PyMem_Realloc(b->data, (size_t)capacity * item);
    if (!data) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->capacity = capacity;
    return 0;
}

static inline int buffer_push(Buffer *b, int32_t value) {
    if (b->size == b->capacity && buffer_grow(b, sizeof(int32_t)) < 0) return -1;
    ((int32_t *)b->data)[b->size++] = value;
    return 0;
}

static inline int push64(Buffer *b, int64_t value) {
    if (b->size == b->capacity && buffer_grow(b, sizeof(int64_t)) < 0) return -1;
    ((int64_t *)b->data)[b->size++] = value;
    return 0;
}

static PyObject *buffer_bytes(Buffer *b, size_t item) {
    return PyBytes_FromStringAndSize(b->data, b->size * (Py_ssize_t)item);
}

/* The vocabulary: an open-addressing table of (hash, word) per distinct word. A slot points at its word's
 * code points in the vocabulary's own str (alive in the vocabulary list as long as the table). */
typedef struct {
    uint64_t hash;
    const char *data; /* the word's code points, `kind` bytes each */
    Py_ssize_t length;
    int32_t id; /* -1: empty slot */
    int32_t kind;
} Slot;

typedef struct {
    Slot *slots;
    size_t mask; /* capacity - 1 (a power of two) */
    int32_t count;
    int32_t *seen_page; /* per word: the last page it occurred in */
    int32_t *local;     /* per word: its number in that page */
    Py_ssize_t per_word_capacity;
} Vocabulary;

static int vocabulary_init(Vocabulary *v, size_t capacity) {
    v->slots = PyMem_Malloc(capacity * sizeof(Slot));
    if (!v->slots) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < capacity; i++) v->slots[i].id = -1;
    v->mask = capacity - 1;
    v->count = 0;
    v->seen_page = NULL;
    v->local = NULL;
    v->per_word_capacity = 0;
    return 0;
}

static void vocabulary_free(Vocabulary *v) {
    PyMem_Free(v->slots);
    PyMem_Free(v->seen_page);
    PyMem_Free(v->local);
}

static int vocabulary_grow(Vocabulary *v) {
    size_t capacity = (v->mask + 1) * 2;
    Slot *slots = PyMem_Malloc(capacity * sizeof(Slot));
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < capacity; i++) slots[i].id = -1;
    for (size_t i = 0; i <= v->mask; i++) {
        Slot s = v->slots[i];
        if (s.id < 0) continue;
        size_t at = (size_t)s.hash & (capacity - 1);
        while (slots[at].id >= 0) at = (at + 1) & (capacity - 1);
        slots[at] = s;
    }
    PyMem_Free(v->slots);
    v->slots = slots;
    v->mask = capacity - 1;
    return 0;
}

static const uint64_t FNV_OFFSET = 0xcbf29ce484222325ULL;
static const uint64_t FNV_PRIME = 0x100000001b3ULL;

static unsigned char latin1_word[256]; /* word characters among the first 256 code points */

static ALWAYS_INLINE int is_word(Py_UCS4 ch) {
    return ch < 256 ? latin1_word[ch] : (Py_UNICODE_ISALNUM(ch) || ch == '_');
}

/* Whether slot s holds the `length` code points at `data` (`kind` bytes each). A vocabulary word is a
 * canonical str, a word of a line has the line's kind: the same word may come in two kinds. */
static ALWAYS_INLINE int slot_holds(const Slot *s, int kind, const char *data, Py_ssize_t length) {
    if (s->length != length) return 0;
    if (s->kind == kind) {
        if (kind == 1) { /* most words: short, compared here rather than by a call to memcmp */
            for (Py_ssize_t k = 0; k < length; k++)
                if (s->data[k] != data[k]) return 0;
            return 1;
        }
        return memcmp(s->data, data, (size_t)(length * kind)) == 0;
    }
    for (Py_ssize_t k = 0; k < length; k++)
        if (PyUnicode_READ(s->kind, s->data, k) != PyUnicode_READ(kind, data, k)) return 0;
    return 1;
}

/* The vocabulary number of the word of `length` code points at `data` (hash `hash`), added if new. */
static int32_t vocabulary_id(Vocabulary *v, int kind, const char *data, uint64_t hash, Py_ssize_t length,
                             PyObject *words) {
    size_t at = (size_t)hash & v->mask;
    for (;;) {
        Slot *s = &v->slots[at];
        if (s->id < 0) break;
        if (s->hash == hash && slot_holds(s, kind, data, length)) return s->id;
        at = (at + 1) & v->mask;
    }
    int32_t id = v->count;
    if (id == INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "too many distinct words in one batch");
        return -1;
    }
    PyObject *word = PyUnicode_FromKindAndData(kind, data, length);
    if (!word) return -1;
    int failed = PyList_Append(words, word);
    Py_DECREF(word); /* the list holds it */
    if (failed) return -1;
    if (id >= v->per_word_capacity) {
        Py_ssize_t capacity = v->per_word_capacity ? v->per_word_capacity * 2 : 1024;
        int32_t *seen = PyMem_Realloc(v->seen_page, (size_t)capacity * sizeof(int32_t));
        if (!seen) {
            PyErr_NoMemory();
            return -1;
        }
        v->seen_page = seen;
        int32_t *local = PyMem_Realloc(v->local, (size_t)capacity * sizeof(int32_t));
        if (!local) {
            PyErr_NoMemory();
            return -1;
        }
        v->local = local;
        v->per_word_capacity = capacity;
    }
    v->seen_page[id] = -1;
    v->slots[at].hash = hash;
    v->slots[at].data = (const char *)PyUnicode_DATA(word);
    v->slots[at].length = length;
    v->slots[at].id = id;
    v->slots[at].kind = (int32_t)PyUnicode_KIND(word);
    v->count++;
    if ((size_t)v->count * 2 > v->mask + 1 && vocabulary_grow(v) < 0) return -1;
    return id;
}

typedef struct {
    Buffer ids, local, line_words, page_distinct, page_sizes;
} TokenOut;

/* Number the words of one lowered line (n code points of `kind` bytes at `data`) of page `page`, whose distinct
 * words so far are *distinct. Inlined with a constant kind, so each kind gets its own loop. */
static ALWAYS_INLINE int tokenize_line(Vocabulary *v, TokenOut *out, int kind, const char *data, Py_ssize_t n,
                                       int32_t page, int32_t *distinct, PyObject *words) {
    int32_t in_line = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_word(ch)) {
            i++;
            continue;
        }
        Py_ssize_t start = i;
        uint64_t hash = FNV_OFFSET;
        do {
            hash = (hash ^ ch) * FNV_PRIME;
            i++;
        } while (i < n && is_word(ch = PyUnicode_READ(kind, data, i)));
        int32_t id = vocabulary_id(v, kind, data + start * kind, hash, i - start, words);
        if (id < 0) return -1;
        if (v->seen_page[id] != page) {
            v->seen_page[id] = page;
            v->local[id] = (*distinct)++;
            if (buffer_push(&out->page_distinct, id) < 0) return -1;
        }
        if (buffer_push(&out->ids, id) < 0 || buffer_push(&out->local, v->local[id]) < 0) return -1;
        in_line++;
    }
    return buffer_push(&out->line_words, in_line);
}

static PyObject *lower_name; /* "lower", interned at import */

/* A line's repeat key: its stripped text, lowered when it is at most repeat_chars long (as str.lower lowers it:
 * the characters are lowered as they are read, `fold`: 1 an ASCII line's letters, 2 by bmp_lower; a line that
 * str.lower lowers has its key read from its lowered str). An empty key: a blank line. */
typedef struct {
    const char *data;
    Py_ssize_t length;
    uint64_t hash;
    int32_t kind, fold;
} LineKey;

/* The lowercase of each code point of the BMP, one character at a time (Py_UNICODE_TOLOWER, the simple mapping:
 * str.lower's own for every one but U+0130, which lowers to two characters), filled on first use. LOWER_BY_STR
 * marks U+0130, U+03A3 (whose lowercase hangs on its neighbours: a final sigma) and any whose lowercase is not
 * in the BMP: a line holding one is lowered by str.lower. */
static uint16_t bmp_lower[0x10000];
static int bmp_lower_filled;
#define LOWER_BY_STR 0xFFFF /* U+FFFF itself lowers to itself: checked apart */

static void bmp_lower_fill(void) {
    if (bmp_lower_filled) return;
    for (Py_UCS4 ch = 0; ch < 0x10000; ch++) {
        Py_UCS4 lower = Py_UNICODE_TOLOWER(ch);
        bmp_lower[ch] = (uint16_t)(ch == 0x130 || ch == 0x3A3 || lower >= 0x10000 ? LOWER_BY_STR : lower);
    }
    bmp_lower_filled = 1;
}

static ALWAYS_INLINE Py_UCS4 key_char(const LineKey *k, Py_ssize_t i) {
    Py_UCS4 c = PyUnicode_READ(k->kind, k->data, i);
    if (k->fold == 1) return c - 'A' < 26u ? c + 32 : c; /* an ASCII line */
    return k->fold == 2 ? bmp_lower[c] : c;              /* a line of the BMP without LOWER_BY_STR */
}

static int same_key(const LineKey *a, const LineKey *b) {
    if (a->length != b->length) return 0;
    if (a->kind == b->kind && !a->fold && !b->fold)
        return memcmp(a->data, b->data, (size_t)(a->length * a->kind)) == 0;
    for (Py_ssize_t i = 0; i < a->length; i++)
        if (key_char(a, i) != key_char(b, i)) return 0;
    return 1;
}

static void key_hash(LineKey *k) {
    uint64_t hash = FNV_OFFSET;
    for (Py_ssize_t i = 0; i < k->length; i++) hash = (hash ^ key_char(k, i)) * FNV_PRIME;
    k->hash = hash;
}

/* The bounds of `data` (n code points of `kind` bytes) without its leading and trailing whitespace (str.strip). */
static void strip_bounds(int kind, const void *data, Py_ssize_t n, Py_ssize_t *first, Py_ssize_t *stop) {
    Py_ssize_t a = 0, b = n;
    while (a < b && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a))) a++;
    while (b > a && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1))) b--;
    *first = a;
    *stop = b;
}

/* The state of the page being read: its lines' keys, the objects they point into (held until the page's
 * repeats are counted), and the counting's scratch. */
typedef struct {
    LineKey *keys;
    PyObject **held;
    int32_t *group, *count, *table;
    Py_ssize_t capacity, held_size, table_capacity;
} PageKeys;

/* Make *data hold at least `wanted` items of `item` bytes (*capacity: how many it holds; doubled at least). */
static int reserve(void *data, Py_ssize_t *capacity, Py_ssize_t wanted, size_t item) {
    if (wanted <= *capacity) return 0;
    Py_ssize_t grown = wanted > 2 * *capacity ? wanted : 2 * *capacity;
    void *moved = PyMem_Realloc(*(void **)data, (size_t)grown * item);
    if (!moved) {
        PyErr_NoMemory();
        return -1;
    }
    *(void **)data = moved;
    *capacity = grown;
    return 0;
}

static int page_keys_reserve(PageKeys *p, Py_ssize_t lines) {
    Py_ssize_t keys = p->capacity, held = p->capacity, group = p->capacity, count = p->capacity;
    if (reserve(&p->keys, &keys, lines, sizeof(LineKey)) < 0 ||
        reserve(&p->held, &held, lines, 2 * sizeof(PyObject *)) < 0 || /* a line and its lowered copy */
        reserve(&p->group, &group, lines, sizeof(int32_t)) < 0 ||
        reserve(&p->count, &count, lines, sizeof(int32_t)) < 0)
        return -1;
    p->capacity = keys;
    return 0;
}

static void page_keys_release(PageKeys *p) {
    for (Py_ssize_t i = 0; i < p->held_size; i++) Py_DECREF(p->held[i]);
    p->held_size = 0;
}

/* Each of the page's n lines' repeat count (how many of its lines have its key; 0 for a blank line), pushed. */
static int count_repeats(PageKeys *p, Py_ssize_t n, Buffer *out) {
    Py_ssize_t wanted = 16;
    while (wanted < 2 * n) wanted *= 2;
    if (reserve(&p->table, &p->table_capacity, wanted, sizeof(int32_t)) < 0) return -1;
    size_t mask = (size_t)wanted - 1;
    for (Py_ssize_t i = 0; i < wanted; i++) p->table[i] = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        const LineKey *key = &p->keys[i];
        p->group[i] = -1;
        if (!key->length) continue;
        size_t at = (size_t)key->hash & mask;
        for (;;) {
            int32_t j = p->table[at];
            if (j < 0) {
                p->table[at] = (int32_t)i;
                p->group[i] = (int32_t)i;
                p->count[i] = 1;
                break;
            }
            if (p->keys[j].hash == key->hash && same_key(&p->keys[j], key)) {
                p->group[i] = j;
                p->count[j]++;
                break;
            }
            at = (at + 1) & mask;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++)
        if (buffer_push(out, p->group[i] < 0 ? 0 : p->count[p->group[i]]) < 0) return -1;
    return 0;
}

/* -1 with a TypeError (`error`) unless `o` is a str, its code points ready to read. */
static int ready_str(PyObject *o, const char *error) {
    if (!PyUnicode_Check(o)) {
        PyErr_SetString(PyExc_TypeError, error);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(o) < 0) return -1;
#endif
    return 0;
}

/* Tokenize one line of a page (its words numbered, its repeat key set in p->keys[k]); the line and any lowered
 * copy are held in p until the page is counted. */
static int tokenize_one(Vocabulary *v, TokenOut *out, PageKeys *p, Py_ssize_t k, PyObject *line,
                        Py_ssize_t repeat_chars, unsigned char **scratch, Py_ssize_t *scratch_size, int32_t page,
                        int32_t *distinct, PyObject *words) {
    if (ready_str(line, "tokenize: pages must be a list of lists of str") < 0) return -1;
    Py_INCREF(line);
    p->held[p->held_size++] = line;
    LineKey *key = &p->keys[k];
    Py_ssize_t n = PyUnicode_GET_LENGTH(line), first, stop;
    int kind = PyUnicode_KIND(line);
    const char *data = (const char *)PyUnicode_DATA(line);
    strip_bounds(kind, data, n, &first, &stop);
    key->data = data + first * kind;
    key->length = stop - first;
    key->kind = kind;
    key->fold = 0;
    if (PyUnicode_IS_ASCII(line)) {
        if (reserve(scratch, scratch_size, n, 1) < 0) return -1;
        const unsigned char *from = (const unsigned char *)data;
        unsigned char *to = *scratch;
        for (Py_ssize_t c = 0; c < n; c++) /* "A" to "Z" lowered, branch-free (vectorised) */
            to[c] = (unsigned char)(from[c] + ((unsigned char)(from[c] - 'A') < 26u) * 32);
        key->fold = key->length <= repeat_chars;
        key_hash(key);
        return tokenize_line(v, out, 1, (const char *)to, n, page, distinct, words);
    }
    if (kind != PyUnicode_4BYTE_KIND) { /* lowered by bmp_lower into the scratch, in the line's own kind */
        bmp_lower_fill();
        if (reserve(scratch, scratch_size, n * kind, 1) < 0) return -1;
        Py_ssize_t c = 0;
        if (kind == PyUnicode_1BYTE_KIND) {
            const Py_UCS1 *from = (const Py_UCS1 *)data;
            Py_UCS1 *to = (Py_UCS1 *)*scratch;
            for (; c < n; c++) {
                uint16_t lower = bmp_lower[from[c]];
                if (lower > 0xFF) break; /* never in Latin-1 (LOWER_BY_STR included): str.lower takes it */
                to[c] = (Py_UCS1)lower;
            }
        } else {
            const Py_UCS2 *from = (const Py_UCS2 *)data;
            Py_UCS2 *to = (Py_UCS2 *)*scratch;
            for (; c < n; c++) {
                uint16_t lower = bmp_lower[from[c]];
                if (lower == LOWER_BY_STR && from[c] != 0xFFFF) break;
                to[c] = lower;
            }
        }
        if (c == n) {
            key->fold = key->length && key->length <= repeat_chars ? 2 : 0;
            key_hash(key);
            if (kind == PyUnicode_1BYTE_KIND) return tokenize_line(v, out, 1, (const char *)*scratch, n, page, distinct, words);
            return tokenize_line(v, out, 2, (const char *)*scratch, n, page, distinct, words);
        }
    }
    PyObject *lowered = PyObject_CallMethodNoArgs(line, lower_name);
    if (!lowered) return -1;
    p->held[p->held_size++] = lowered;
    if (ready_str(lowered, "tokenize: str.lower gave no str") < 0) return -1;
    const char *low = (const char *)PyUnicode_DATA(lowered);
    Py_ssize_t length = PyUnicode_GET_LENGTH(lowered);
    int low_kind = PyUnicode_KIND(lowered);
    if (key->length && key->length <= repeat_chars) { /* str.lower(line).strip() == str.lower(line.strip()) */
        strip_bounds(low_kind, low, length, &first, &stop);
        key->data = low + first * low_kind;
        key->length = stop - first;
        key->kind = low_kind;
    }
    key_hash(key);
    switch (low_kind) {
    case PyUnicode_1BYTE_KIND: return tokenize_line(v, out, 1, low, length, page, distinct, words);
    case PyUnicode_2BYTE_KIND: return tokenize_line(v, out, 2, low, length, page, distinct, words);
    default: return tokenize_line(v, out, 4, low, length, page, distinct, words);
    }
}

static PyObject *tokenize(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *pages;
    Py_ssize_t repeat_chars;
    if (!PyArg_ParseTuple(args, "On:tokenize", &pages, &repeat_chars)) return NULL;
    if (!PyList_Check(pages)) {
        PyErr_SetString(PyExc_TypeError, "tokenize: pages must be a list of lists of str");
        return NULL;
    }
    PyObject *result = NULL, *words = NULL, *lines = NULL;
    TokenOut out = {0};
    Buffer repeats = {0};
    PageKeys keys = {0};
    unsigned char *scratch = NULL; /* an ASCII line, lowered */
    Py_ssize_t scratch_size = 0;
    Vocabulary v;
    if (vocabulary_init(&v, 1 << 14) < 0) return NULL; /* a batch of pages has some 10,000 distinct words */
    words = PyList_New(0);
    if (!words) goto done;
    for (Py_ssize_t page = 0; page < PyList_GET_SIZE(pages); page++) {
        if (page >= INT32_MAX) {
            PyErr_SetString(PyExc_OverflowError, "too many pages in one batch");
            goto done;
        }
        lines = PyList_GET_ITEM(pages, page);
        if (!PyList_Check(lines)) {
            lines = NULL;
            PyErr_SetString(PyExc_TypeError, "tokenize: pages must be a list of lists of str");
            goto done;
        }
        Py_INCREF(lines);
        Py_ssize_t count = PyList_GET_SIZE(lines);
        if (page_keys_reserve(&keys, count) < 0) goto done;
        int32_t distinct = 0;
        for (Py_ssize_t k = 0; k < count; k++) {
            if (PyList_GET_SIZE(lines) != count) {
                PyErr_SetString(PyExc_RuntimeError, "tokenize: a page's list of lines changed size");
                goto done;
            }
            if (tokenize_one(&v, &out, &keys, k, PyList_GET_ITEM(lines, k), repeat_chars, &scratch, &scratch_size,
                             (int32_t)page, &distinct, words) < 0)
                goto done;
        }
        if (count_repeats(&keys, count, &repeats) < 0 || buffer_push(&out.page_sizes, distinct) < 0) goto done;
        page_keys_release(&keys);
        Py_CLEAR(lines);
    }
    PyObject *parts[6] = {buffer_bytes(&out.ids, 4),           buffer_bytes(&out.local, 4),
                          buffer_bytes(&out.line_words, 4),    buffer_bytes(&out.page_distinct, 4),
                          buffer_bytes(&out.page_sizes, 4),    buffer_bytes(&repeats, 4)};
    if (parts[0] && parts[1] && parts[2] && parts[3] && parts[4] && parts[5])
        result = PyTuple_Pack(7, parts[0], parts[1], parts[2], parts[3], parts[4], words, parts[5]);
    for (int k = 0; k < 6; k++) Py_XDECREF(parts[k]);
done:
    page_keys_release(&keys);
    Py_XDECREF(lines);
    Py_XDECREF(words);
    PyMem_Free(scratch);
    PyMem_Free(out.ids.data);
    PyMem_Free(out.local.data);
    PyMem_Free(out.line_words.data);
    PyMem_Free(out.page_distinct.data);
    PyMem_Free(out.page_sizes.data);
    PyMem_Free(repeats.data);
    PyMem_Free(keys.keys);
    PyMem_Free(keys.held);
    PyMem_Free(keys.group);
    PyMem_Free(keys.count);
    PyMem_Free(keys.table);
    vocabulary_free(&v);
    return result;
}

#define PERMUTATIONS 16
#define BANDS (PERMUTATIONS / 2)

typedef struct {
    uint64_t key;
    int64_t row;
} Keyed;

static int compare_keyed(const void *a, const void *b) {
    const Keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

static int compare_int64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int compare_int32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int compare_uint32(const void *a, const void *b) { /* code points (Py_UCS4) and 32-bit hashes */
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* How many values two ascending, duplicate-free arrays share (one merge pass): of uint32 (common_sorted) and of
 * uint64 (common_sorted64). */
#define COMMON_SORTED(NAME, TYPE)                                                                                     \
    static int64_t NAME(const TYPE *a, int64_t na, const TYPE *b, int64_t nb) {                                        \
        int64_t i = 0, j = 0, shared = 0;                                                                              \
        while (i < na && j < nb) {                                                                                     \
            if (a[i] < b[j]) i++;                                                                                      \
            else if (a[i] > b[j]) j++;                                                                                 \
            else {                                                                                                     \
                shared++;                                                                                              \
                i++;                                                                                                   \
                j++;                                                                                                   \
            }                                                                                                          \
        }                                                                                                              \
        return shared;                                                                                                 \
    }
COMMON_SORTED(common_sorted, uint32_t)
COMMON_SORTED(common_sorted64, uint64_t)

static uint32_t crc_table[256]; /* zlib's CRC-32: reflected polynomial 0xEDB88320 (filled at import) */

static uint32_t crc_byte(uint32_t crc, unsigned char byte) { return crc_table[(crc ^ byte) & 0xFF] ^ (crc >> 8); }

static PyObject *word_hashes(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *words;
    Py_buffer used_buffer;
    if (!PyArg_ParseTuple(args, "O!y*:word_hashes", &PyList_Type, &words, &used_buffer)) return NULL;
    PyObject *result = NULL;
    const int64_t *used = used_buffer.buf;
    Py_ssize_t count = used_buffer.len / (Py_ssize_t)sizeof(int64_t), size = PyList_GET_SIZE(words);
    uint32_t *hashes = PyMem_Malloc((size_t)(count ? count : 1) * sizeof(uint32_t));
    if (!hashes) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        if (used[k] < 0 || used[k] >= size) {
            PyErr_SetString(PyExc_IndexError, "a word number is outside words");
            goto done;
        }
        PyObject *word = PyList_GET_ITEM(words, used[k]);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "words must be str");
            goto done;
        }
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        Py_ssize_t length = PyUnicode_GET_LENGTH(word);
        uint32_t crc = 0xFFFFFFFFu;
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            if (ch < 0x80) {
                crc = crc_byte(crc, (unsigned char)ch);
            } else if (ch < 0x800) {
                crc = crc_byte(crc, (unsigned char)(0xC0 | (ch >> 6)));
                crc = crc_byte(crc, (unsigned char)(0x80 | (ch & 0x3F)));
            } else if (ch < 0x10000) {
                if (ch >= 0xD800 && ch <= 0xDFFF) { /* a lone surrogate: no UTF-8 form */
                    result = Py_NewRef(Py_None);
                    goto done;
                }
                crc = crc_byte(crc, (unsigned char)(0xE0 | (ch >> 12)));
                crc = crc_byte(crc, (unsigned char)(0x80 | ((ch >> 6) & 0x3F)));
                crc = crc_byte(crc, (unsigned char)(0x80 | (ch & 0x3F)));
            } else {
                crc = crc_byte(crc, (unsigned char)(0xF0 | (ch >> 18)));
                crc = crc_byte(crc, (unsigned char)(0x80 | ((ch >> 12) & 0x3F)));
                crc = crc_byte(crc, (unsigned char)(0x80 | ((ch >> 6) & 0x3F)));
                crc = crc_byte(crc, (unsigned char)(0x80 | (ch & 0x3F)));
            }
        }
        hashes[k] = crc ^ 0xFFFFFFFFu;
    }
    result = PyBytes_FromStringAndSize((const char *)hashes, count * (Py_ssize_t)sizeof(uint32_t));
done:
    PyMem_Free(hashes);
    PyBuffer_Release(&used_buffer);
    return result;
}

/* Where each of `rows` paragraphs starts among `words` items laid end to end (starts: rows + 1 entries), each
 * holding at least `least` of them (lengths); a ValueError with `message` when a length is below it or the items
 * run past `words`. */
static int paragraph_starts(int64_t *starts, const int64_t *lengths, Py_ssize_t rows, Py_ssize_t words, int64_t least,
                            const char *message) {
    starts[0] = 0;
    for (Py_ssize_t p = 0; p < rows; p++) {
        if (lengths[p] < least || starts[p] + lengths[p] > words) {
            PyErr_SetString(PyExc_ValueError, message);
            return -1;
        }
        starts[p + 1] = starts[p] + lengths[p];
    }
    return 0;
}

static PyObject *prefilter_pairs(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer ids_buffer, lengths_buffer, documents_buffer, hashes_buffer, multipliers_buffer, offsets_buffer;
    double bound;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*y*d:prefilter_pairs", &ids_buffer, &lengths_buffer, &documents_buffer,
                          &hashes_buffer, &multipliers_buffer, &offsets_buffer, &bound))
        return NULL;
    PyObject *result = NULL;
    Buffer codes = {0}, later = {0}, earlier = {0};
    uint64_t *signatures = NULL;
    int64_t *starts = NULL, *distinct = NULL, *stamps = NULL;
    int32_t *sets = NULL;
    uint32_t *narrow = NULL;
    Keyed *keyed = NULL;
    const int32_t *ids = ids_buffer.buf;
    const int64_t *lengths = lengths_buffer.buf, *documents = documents_buffer.buf;
    const uint32_t *hashes = hashes_buffer.buf;
    const uint64_t *multipliers = multipliers_buffer.buf, *offsets = offsets_buffer.buf;
    Py_ssize_t rows = lengths_buffer.len / (Py_ssize_t)sizeof(int64_t);
    Py_ssize_t words = ids_buffer.len / (Py_ssize_t)sizeof(int32_t);
    Py_ssize_t vocabulary = hashes_buffer.len / (Py_ssize_t)sizeof(uint32_t);
    if (documents_buffer.len != lengths_buffer.len) {
        PyErr_SetString(PyExc_ValueError, "documents and lengths must have one entry per paragraph");
        goto done;
    }
    if (multipliers_buffer.len != PERMUTATIONS * sizeof(uint64_t) ||
        offsets_buffer.len != PERMUTATIONS * sizeof(uint64_t)) {
        PyErr_SetString(PyExc_ValueError, "multipliers and offsets must hold 16 uint64 each");
        goto done;
    }
    signatures = PyMem_Malloc((size_t)(rows ? rows : 1) * PERMUTATIONS * sizeof(uint64_t));
    starts = PyMem_Malloc((size_t)(rows + 1) * sizeof(int64_t));
    keyed = PyMem_Malloc((size_t)(rows ? rows : 1) * sizeof(Keyed));
    if (!signatures || !starts || !keyed) {
        PyErr_NoMemory();
        goto done;
    }
    /* Each paragraph's signature: the minimum of its words' permuted hashes, column by column. */
    if (paragraph_starts(starts, lengths, rows, words, 1, "every paragraph needs at least one word, within ids") < 0)
        goto done;
    for (Py_ssize_t p = 0; p < rows; p++) {
        if (p && documents[p] < documents[p - 1]) {
            PyErr_SetString(PyExc_ValueError, "documents must be ascending");
            goto done;
        }
        for (int64_t w = starts[p]; w < starts[p + 1]; w++) {
            if (ids[w] < 0 || ids[w] >= vocabulary) {
                PyErr_SetString(PyExc_ValueError, "a word number is outside hashes");
                goto done;
            }
        }
    }
    /* Each word's permuted hashes, (hash x multiplier + offset) mod 2^32 (the reference masks the uint64 to its
       low 32 bits, which uint32 arithmetic gives): as uint32 the minima vectorise. */
    narrow = PyMem_Malloc((size_t)(vocabulary ? vocabulary : 1) * PERMUTATIONS * sizeof(uint32_t));
    if (!narrow) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < vocabulary; k++)
        for (int j = 0; j < PERMUTATIONS; j++)
            narrow[k * PERMUTATIONS + j] = hashes[k] * (uint32_t)multipliers[j] + (uint32_t)offsets[j];
    for (Py_ssize_t p = 0; p < rows; p++) {
        uint64_t *signature = signatures + p * PERMUTATIONS;
        uint32_t minima[PERMUTATIONS];
        for (int k = 0; k < PERMUTATIONS; k++) minima[k] = UINT32_MAX;
        for (int64_t w = starts[p]; w < starts[p + 1]; w++) {
            const uint32_t *row = narrow + (Py_ssize_t)ids[w] * PERMUTATIONS;
            for (int k = 0; k < PERMUTATIONS; k++) minima[k] = row[k] < minima[k] ? row[k] : minima[k];
        }
        for (int k = 0; k < PERMUTATIONS; k++) signature[k] = minima[k];
    }
    /* The pairs that meet: per document and band, the rows sorted by key (then row); in a run of equal keys,
       each row meets every row before it. Coded later * rows + earlier, sorted and made unique below. */
    for (Py_ssize_t first = 0; first < rows;) {
        Py_ssize_t stop = first + 1;
        while (stop < rows && documents[stop] == documents[first]) stop++;
        Py_ssize_t size = stop - first;
        for (int band = 0; band < BANDS && size > 1; band++) {
            for (Py_ssize_t j = 0; j < size; j++) {
                const uint64_t *signature = signatures + (first + j) * PERMUTATIONS;
                keyed[j].key = (signature[2 * band] << 32) | signature[2 * band + 1];
                keyed[j].row = first + j;
            }
            if (size <= 48) { /* insertion sort: stable, so equal keys stay in row order, as compare_keyed has them */
                for (Py_ssize_t j = 1; j < size; j++) {
                    Keyed item = keyed[j];
                    Py_ssize_t i = j;
                    for (; i > 0 && keyed[i - 1].key > item.key; i--) keyed[i] = keyed[i - 1];
                    keyed[i] = item;
                }
            } else {
                qsort(keyed, (size_t)size, sizeof(Keyed), compare_keyed);
            }
            for (Py_ssize_t j = 1, run = 0; j < size; j++) {
                if (keyed[j].key != keyed[j - 1].key) {
                    run = j;
                    continue;
                }
                for (Py_ssize_t i = run; i < j; i++)
                    if (push64(&codes, keyed[j].row * (int64_t)rows + keyed[i].row) < 0) goto done;
            }
        }
        first = stop;
    }
    const int64_t *coded = (const int64_t *)codes.data;
    if (codes.size > 1) qsort(codes.data, (size_t)codes.size, sizeof(int64_t), compare_int64);
    /* Each paragraph's distinct words (built for the paragraphs in some pair only, in no order): a word is new
       to paragraph p when its stamp is not p + 1. A pair's shared words: the earlier one's words stamped with
       the pair's mark, the later one's counted where they carry it. */
    distinct = PyMem_Calloc((size_t)(rows ? rows : 1), sizeof(int64_t)); /* 0: not built; else count + 1 */
    sets = PyMem_Malloc((size_t)(words ? words : 1) * sizeof(int32_t));
    stamps = PyMem_Calloc((size_t)(vocabulary ? vocabulary : 1), sizeof(int64_t));
    if (!distinct || !sets || !stamps) {
        PyErr_NoMemory();
        goto done;
    }
    int64_t mark = rows; /* the pairs' marks start above every paragraph's stamp (1..rows) */
    for (Py_ssize_t c = 0; c < codes.size; c++) {
        if (c && coded[c] == coded[c - 1]) continue;
        int64_t pair[2] = {coded[c] / rows, coded[c] % rows};
        for (int side = 0; side < 2; side++) {
            int64_t p = pair[side];
            if (distinct[p]) continue;
            int32_t *set = sets + starts[p];
            int64_t count = 0;
            for (int64_t w = starts[p]; w < starts[p + 1]; w++) {
                if (stamps[ids[w]] == p + 1) continue;
                stamps[ids[w]] = p + 1;
                set[count++] = ids[w];
            }
            distinct[p] = count + 1;
        }
        const int32_t *a = sets + starts[pair[0]], *b = sets + starts[pair[1]];
        int64_t na = distinct[pair[0]] - 1, nb = distinct[pair[1]] - 1, shared = 0;
        mark++;
        for (int64_t w = 0; w < nb; w++) stamps[b[w]] = mark;
        for (int64_t w = 0; w < na; w++) shared += stamps[a[w]] == mark;
        if ((double)shared >= bound * (double)(na + nb - shared)) {
            if (push64(&later, pair[0]) < 0 || push64(&earlier, pair[1]) < 0) goto done;
        }
    }
    PyObject *parts[2] = {buffer_bytes(&later, 8), buffer_bytes(&earlier, 8)};
    if (parts[0] && parts[1]) result = PyTuple_Pack(2, parts[0], parts[1]);
    Py_XDECREF(parts[0]);
    Py_XDECREF(parts[1]);
done:
    PyMem_Free(codes.data);
    PyMem_Free(later.data);
    PyMem_Free(earlier.data);
    PyMem_Free(signatures);
    PyMem_Free(starts);
    PyMem_Free(distinct);
    PyMem_Free(sets);
    PyMem_Free(stamps);
    PyMem_Free(narrow);
    PyMem_Free(keyed);
    PyBuffer_Release(&ids_buffer);
    PyBuffer_Release(&lengths_buffer);
    PyBuffer_Release(&documents_buffer);
    PyBuffer_Release(&hashes_buffer);
    PyBuffer_Release(&multipliers_buffer);
    PyBuffer_Release(&offsets_buffer);
    return result;
}

/* Sort uint64 values ascending: quicksort (median of three) down to runs of 24, then one insertion sort. */
static void sort_uint64(uint64_t *a, Py_ssize_t n) {
    while (n > 24) {
        uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        Py_ssize_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            uint64_t t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        /* a[0..j] <= pivot <= a[j+1..n-1]: recurse into the smaller side, loop on the larger */
        if (j + 1 < n - j - 1) {
            sort_uint64(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_uint64(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    for (Py_ssize_t k = 1; k < n; k++) {
        uint64_t item = a[k];
        Py_ssize_t i = k;
        for (; i > 0 && a[i - 1] > item; i--) a[i] = a[i - 1];
        a[i] = item;
    }
}

static PyObject *trigram_overlaps(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer ids_buffer, lengths_buffer, later_buffer, earlier_buffer;
    if (!PyArg_ParseTuple(args, "y*y*y*y*:trigram_overlaps", &ids_buffer, &lengths_buffer, &later_buffer,
                          &earlier_buffer))
        return NULL;
    PyObject *result = NULL;
    int64_t *starts = NULL, *built = NULL, *shared = NULL, *united = NULL;
    uint64_t *keys = NULL;
    const int32_t *ids = ids_buffer.buf;
    const int64_t *lengths = lengths_buffer.buf, *later = later_buffer.buf, *earlier = earlier_buffer.buf;
    Py_ssize_t rows = lengths_buffer.len / (Py_ssize_t)sizeof(int64_t);
    Py_ssize_t words = ids_buffer.len / (Py_ssize_t)sizeof(int32_t);
    Py_ssize_t pairs = later_buffer.len / (Py_ssize_t)sizeof(int64_t);
    if (earlier_buffer.len != later_buffer.len) {
        PyErr_SetString(PyExc_ValueError, "later and earlier must have one entry per pair");
        goto done;
    }
    starts = PyMem_Malloc((size_t)(rows + 1) * sizeof(int64_t));
    built = PyMem_Calloc((size_t)(rows ? rows : 1), sizeof(int64_t)); /* 0: not built; else distinct + 1 */
    keys = PyMem_Malloc((size_t)(words ? words : 1) * sizeof(uint64_t));
    shared = PyMem_Malloc((size_t)(pairs ? pairs : 1) * sizeof(int64_t));
    united = PyMem_Malloc((size_t)(pairs ? pairs : 1) * sizeof(int64_t));
    if (!starts || !built || !keys || !shared || !united) {
        PyErr_NoMemory();
        goto done;
    }
    if (paragraph_starts(starts, lengths, rows, words, 0, "lengths must be at least 0 and within ids") < 0) goto done;
    for (Py_ssize_t w = 0; w < words; w++) {
        if (ids[w] < 0) {
            PyErr_SetString(PyExc_ValueError, "word numbers must be at least 0");
            goto done;
        }
        if (ids[w] >= (1 << 21)) { /* a trigram's three numbers no longer fit one uint64 key: numpy takes it */
            result = Py_NewRef(Py_None);
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < pairs; k++) {
        int64_t pair[2] = {later[k], earlier[k]};
        for (int side = 0; side < 2; side++) {
            int64_t p = pair[side];
            if (p < 0 || p >= rows) {
                PyErr_SetString(PyExc_IndexError, "a pair's paragraph is outside lengths");
                goto done;
            }
            if (built[p]) continue;
            /* paragraph p's trigram keys, sorted and unique, where its words start in keys (n words, n - 2 keys) */
            uint64_t *set = keys + starts[p];
            int64_t count = lengths[p] - 2, distinct = 0;
            const int32_t *w = ids + starts[p];
            for (int64_t i = 0; i < count; i++)
                set[i] = ((uint64_t)w[i] << 42) | ((uint64_t)w[i + 1] << 21) | (uint64_t)w[i + 2];
            if (count > 0) {
                sort_uint64(set, count);
                distinct = 1;
                for (int64_t i = 1; i < count; i++)
                    if (set[i] != set[distinct - 1]) set[distinct++] = set[i];
            }
            built[p] = distinct + 1;
        }
        int64_t na = built[pair[0]] - 1, nb = built[pair[1]] - 1;
        int64_t common = common_sorted64(keys + starts[pair[0]], na, keys + starts[pair[1]], nb);
        shared[k] = common;
        united[k] = na + nb - common;
    }
    PyObject *parts[2] = {PyBytes_FromStringAndSize((const char *)shared, pairs * (Py_ssize_t)sizeof(int64_t)),
                          PyBytes_FromStringAndSize((const char *)united, pairs * (Py_ssize_t)sizeof(int64_t))};
    if (parts[0] && parts[1]) result = PyTuple_Pack(2, parts[0], parts[1]);
    Py_XDECREF(parts[0]);
    Py_XDECREF(parts[1]);
done:
    PyMem_Free(starts);
    PyMem_Free(built);
    PyMem_Free(keys);
    PyMem_Free(shared);
    PyMem_Free(united);
    PyBuffer_Release(&ids_buffer);
    PyBuffer_Release(&lengths_buffer);
    PyBuffer_Release(&later_buffer);
    PyBuffer_Release(&earlier_buffer);
    return result;
}

/* Aho-Corasick over code points: the needles' characters are numbered 1..symbols (0: any other character,
   which no needle holds), the trie is a dense table of (states x symbols + 1) moves with the failure moves
   filled in, so the scan is one table lookup per character. */
typedef struct {
    Py_UCS4 *chars; /* the needles' distinct characters, sorted */
    Py_ssize_t symbols;
    int32_t *move;   /* state * (symbols + 1) + symbol -> state */
    int32_t *word;   /* per state: the needle ending there, or -1 */
    int32_t *output; /* per state: the next state on its failure chain where a needle ends, or 0 (the root) */
    Py_ssize_t states;
} Automaton;

static Py_ssize_t symbol_of(const Automaton *a, Py_UCS4 ch) {
    Py_ssize_t low = 0, high = a->symbols;
    while (low < high) {
        Py_ssize_t mid = (low + high) / 2;
        if (a->chars[mid] < ch) low = mid + 1;
        else high = mid;
    }
    return low < a->symbols && a->chars[low] == ch ? low + 1 : 0;
}

static void automaton_free(Automaton *a) {
    PyMem_Free(a->chars);
    PyMem_Free(a->move);
    PyMem_Free(a->word);
    PyMem_Free(a->output);
}

static int automaton_build(Automaton *a, PyObject *needles, Py_ssize_t count) {
    Py_ssize_t total = 0;
    for (Py_ssize_t k = 0; k < count; k++) total += PyUnicode_GET_LENGTH(PyList_GET_ITEM(needles, k));
    a->chars = PyMem_Malloc((size_t)(total ? total : 1) * sizeof(Py_UCS4));
    if (!a->chars) return PyErr_NoMemory(), -1;
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *needle = PyList_GET_ITEM(needles, k);
        for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(needle); i++) a->chars[n++] = PyUnicode_READ_CHAR(needle, i);
    }
    qsort(a->chars, (size_t)n, sizeof(Py_UCS4), compare_uint32);
    a->symbols = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!i || a->chars[i] != a->chars[i - 1]) a->chars[a->symbols++] = a->chars[i];
    Py_ssize_t width = a->symbols + 1, capacity = total + 1;
    a->move = PyMem_Calloc((size_t)(capacity * width), sizeof(int32_t));
    a->word = PyMem_Malloc((size_t)capacity * sizeof(int32_t));
    a->output = PyMem_Calloc((size_t)capacity, sizeof(int32_t));
    int32_t *fail = PyMem_Calloc((size_t)capacity, sizeof(int32_t));
    int32_t *queue = PyMem_Malloc((size_t)capacity * sizeof(int32_t));
    if (!a->move || !a->word || !a->output || !fail || !queue) {
        PyMem_Free(fail);
        PyMem_Free(queue);
        return PyErr_NoMemory(), -1;
    }
    for (Py_ssize_t i = 0; i < capacity; i++) a->word[i] = -1;
    a->states = 1;
    for (Py_ssize_t k = 0; k < count; k++) { /* the trie: a move of 0 out of the root or a state means none yet */
        PyObject *needle = PyList_GET_ITEM(needles, k);
        int32_t state = 0;
        for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(needle); i++) {
            Py_ssize_t symbol = symbol_of(a, PyUnicode_READ_CHAR(needle, i));
            if (!a->move[state * width + symbol]) a->move[state * width + symbol] = (int32_t)a->states++;
            state = a->move[state * width + symbol];
        }
        if (a->word[state] < 0) a->word[state] = (int32_t)k; /* a repeated needle: the first stands for all */
    }
    Py_ssize_t head = 0, tail = 0; /* breadth first: failure links, then the missing moves and the outputs */
    for (Py_ssize_t symbol = 1; symbol < width; symbol++)
        if (a->move[symbol]) queue[tail++] = a->move[symbol];
    while (head < tail) {
        int32_t state = queue[head++];
        int32_t back = fail[state];
        a->output[state] = a->word[back] >= 0 ? back : a->output[back];
        for (Py_ssize_t symbol = 1; symbol < width; symbol++) {
            int32_t next = a->move[state * width + symbol];
            if (next) {
                fail[next] = a->move[back * width + symbol];
                queue[tail++] = next;
            } else {
                a->move[state * width + symbol] = a->move[back * width + symbol];
            }
        }
    }
    PyMem_Free(fail);
    PyMem_Free(queue);
    return 0;
}

/* 0 when every needle (a list) is a non-empty str without a line break, else -1 with a ValueError naming `kernel`. */
static int check_needles(PyObject *needles, const char *kernel) {
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(needles); k++) {
        PyObject *needle = PyList_GET_ITEM(needles, k);
        if (!PyUnicode_Check(needle) || !PyUnicode_GET_LENGTH(needle) ||
            PyUnicode_FindChar(needle, '\n', 0, PyUnicode_GET_LENGTH(needle), 1) != -1) {
            PyErr_Format(PyExc_ValueError, "%s: needles must be non-empty strings without a line break", kernel);
            return -1;
        }
    }
    return 0;
}

static PyObject *lines_holding(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *document, *needles;
    if (!PyArg_ParseTuple(args, "UO!:lines_holding", &document, &PyList_Type, &needles)) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(needles);
    if (check_needles(needles, "lines_holding") < 0) return NULL;
    Automaton a = {0};
    PyObject *result = NULL;
    Py_ssize_t *last = NULL;
    if (automaton_build(&a, needles, count) < 0) goto done;
    result = PyList_New(count);
    last = PyMem_Malloc((size_t)(count ? count : 1) * sizeof(Py_ssize_t));
    if (!result || !last) {
        if (result) Py_CLEAR(result);
        else PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *lines = PyList_New(0);
        if (!lines) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, lines);
        last[k] = -1;
    }
    int kind = PyUnicode_KIND(document);
    const void *data = PyUnicode_DATA(document);
    Py_ssize_t n = PyUnicode_GET_LENGTH(document), width = a.symbols + 1, line = 0;
    Py_UCS4 highest = a.symbols ? a.chars[a.symbols - 1] : 0;
    int32_t low[256]; /* the symbols of the first 256 code points, looked up directly */
    for (Py_UCS4 ch = 0; ch < 256; ch++) low[ch] = (int32_t)symbol_of(&a, ch);
    int32_t state = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '\n') {
            line++;
            state = 0;
            continue;
        }
        Py_ssize_t symbol = ch < 256 ? low[ch] : ch > highest ? 0 : symbol_of(&a, ch);
        state = a.move[state * width + symbol];
        for (int32_t at = a.word[state] >= 0 ? state : a.output[state]; at; at = a.output[at]) {
            int32_t k = a.word[at];
            if (last[k] == line) continue;
            last[k] = line;
            PyObject *number = PyLong_FromSsize_t(line);
            if (!number || PyList_Append(PyList_GET_ITEM(result, k), number) < 0) {
                Py_XDECREF(number);
                Py_CLEAR(result);
                goto done;
            }
            Py_DECREF(number);
        }
    }
    for (Py_ssize_t k = 0; k < count; k++) { /* a repeated needle gets the lines of its first copy */
        PyObject *needle = PyList_GET_ITEM(needles, k);
        int32_t state = 0;
        for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(needle); i++)
            state = a.move[state * width + symbol_of(&a, PyUnicode_READ_CHAR(needle, i))];
        int32_t first = a.word[state];
        if (first != k) {
            PyObject *copy = PyList_GetSlice(PyList_GET_ITEM(result, first), 0, PY_SSIZE_T_MAX);
            if (!copy) {
                Py_CLEAR(result);
                goto done;
            }
            PyList_SetItem(result, k, copy); /* steals copy, releases the empty list */
        }
    }
done:
    automaton_free(&a);
    PyMem_Free(last);
    return result;
}

/* The rule routes (textclean/_matcher_routes.py, Routes.route): for each of a batch's distinct lowered lines, the
   pattern rules' alternatives whose probes hold on it, in one pass per line. The tables are built once into a
   capsule (route_spec). */

/* The word finder: an Aho-Corasick automaton with direct symbol tables (every character of a line is looked up).
   Its scan reads `jump`, the automaton's moves as offsets: a state s is at s x (symbols + 1), and a move into a
   state where some word ends is stored complemented (~offset, negative), so a step is one load and an add, and
   only the rare steps that end a word look further (at the state's words). */
typedef struct {
    Automaton a;
    int32_t *jump;    /* offset + symbol -> the next state's offset (~offset: a word ends there) */
    int32_t low[256]; /* the symbols of the first 256 code points */
    uint16_t *bmp;    /* the symbols of every BMP code point, or NULL (too many symbols: binary search) */
    Py_UCS4 highest;
    Py_ssize_t count;
} Finder;

static int finder_build(Finder *f, PyObject *words) {
    f->count = PyList_GET_SIZE(words);
    if (automaton_build(&f->a, words, f->count) < 0) return -1;
    Py_ssize_t width = f->a.symbols + 1, cells = f->a.states * width;
    if (cells > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "route_spec: too many words to route by");
        return -1;
    }
    f->jump = PyMem_Malloc((size_t)cells * sizeof(int32_t));
    if (!f->jump) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0; i < cells; i++) {
        int32_t next = f->a.move[i], offset = (int32_t)(next * width);
        f->jump[i] = f->a.word[next] >= 0 || f->a.output[next] ? ~offset : offset;
    }
    for (Py_UCS4 ch = 0; ch < 256; ch++) f->low[ch] = (int32_t)symbol_of(&f->a, ch);
    f->highest = f->a.symbols ? f->a.chars[f->a.symbols - 1] : 0;
    if (f->a.symbols >= UINT16_MAX) return 0;
    f->bmp = PyMem_Calloc(0x10000, sizeof(uint16_t));
    if (!f->bmp) return PyErr_NoMemory(), -1;
    for (Py_ssize_t k = 0; k < f->a.symbols && f->a.chars[k] < 0x10000; k++) f->bmp[f->a.chars[k]] = (uint16_t)(k + 1);
    return 0;
}

static inline Py_ssize_t finder_symbol(const Finder *f, Py_UCS4 ch) {
    if (ch < 256) return f->low[ch];
    if (ch > f->highest) return 0;
    return f->bmp && ch < 0x10000 ? f->bmp[ch] : symbol_of(&f->a, ch);
}

/* A set of characters: direct bits for the BMP, a sorted array for the rest. */
typedef struct {
    unsigned char *bits; /* 0x10000 bits */
    Py_UCS4 *astral;
    Py_ssize_t astral_count;
} CharSet;

static int charset_build(CharSet *set, PyObject *chars) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(chars);
    set->bits = PyMem_Calloc(0x10000 / 8, 1);
    set->astral = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(Py_UCS4));
    if (!set->bits || !set->astral) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(chars, i);
        if (ch < 0x10000) set->bits[ch >> 3] |= (unsigned char)(1u << (ch & 7));
        else set->astral[set->astral_count++] = ch;
    }
    qsort(set->astral, (size_t)set->astral_count, sizeof(Py_UCS4), compare_uint32);
    return 0;
}

static inline int in_set(const CharSet *set, Py_UCS4 ch) {
    if (ch < 0x10000) return set->bits[ch >> 3] >> (ch & 7) & 1;
    return bsearch(&ch, set->astral, (size_t)set->astral_count, sizeof(Py_UCS4), compare_uint32) != NULL;
}

static void charset_free(CharSet *set) {
    PyMem_Free(set->bits);
    PyMem_Free(set->astral);
}

/* Lists of route ids, one per string of a table (or per word): list k is ids[offsets[k]:offsets[k + 1]]. */
typedef struct {
    int32_t *offsets;
    int32_t *ids;
    Py_ssize_t count;
} IdLists;

static void idlists_free(IdLists *l) {
    PyMem_Free(l->offsets);
    PyMem_Free(l->ids);
}

/* Append one Python list of ids (each in [0, routes)) as the next list; offsets must have room. */
static int idlists_read(IdLists *l, Py_ssize_t k, PyObject *ids, Py_ssize_t routes) {
    if (!PyList_Check(ids)) {
        PyErr_SetString(PyExc_TypeError, "route ids must be a list of int");
        return -1;
    }
    int32_t at = l->offsets[k];
    int32_t *grown = PyMem_Realloc(l->ids, ((size_t)at + (size_t)PyList_GET_SIZE(ids) + 1) * sizeof(int32_t));
    if (!grown) return PyErr_NoMemory(), -1;
    l->ids = grown;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(ids); i++) {
        long id = PyLong_AsLong(PyList_GET_ITEM(ids, i));
        if (id == -1 && PyErr_Occurred()) return -1;
        if (id < 0 || id >= routes) {
            PyErr_SetString(PyExc_ValueError, "a route id out of range");
            return -1;
        }
        l->ids[at++] = (int32_t)id;
    }
    l->offsets[k + 1] = at;
    return 0;
}

static int idlists_init(IdLists *l, Py_ssize_t count) {
    l->count = count;
    l->offsets = PyMem_Calloc((size_t)count + 1, sizeof(int32_t));
    l->ids = PyMem_Malloc(sizeof(int32_t));
    if (!l->offsets || !l->ids) return PyErr_NoMemory(), -1;
    return 0;
}

/* A list of ids on its own (one IdLists of one list). */
static int idlist_build(IdLists *l, PyObject *ids, Py_ssize_t routes) {
    return idlists_init(l, 1) < 0 ? -1 : idlists_read(l, 0, ids, routes);
}

/* A trie of strings (start strings, filing keys, reversed end words, first characters), each with a list of ids:
   its moves in an open-addressing table keyed by (state, character), so its size follows the strings' characters,
   not states x alphabet. */
typedef struct {
    uint64_t *keys; /* (state << 21 | character) + 1, or 0: an empty slot */
    int32_t *moves;
    size_t mask;
    int32_t *ends; /* per state: 1 + the number of the string ending there, or 0 */
    int32_t states;
    Py_ssize_t count, longest;
    IdLists lists; /* per string, its ids */
} Prefixes;

static inline size_t prefixes_slot(const Prefixes *t, uint64_t key) {
    size_t slot = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & t->mask;
    while (t->keys[slot] && t->keys[slot] != key) slot = (slot + 1) & t->mask;
    return slot;
}

/* The state after ch from state, or 0 when no string goes on with ch (the root is never re-entered). */
static inline int32_t prefixes_step(const Prefixes *t, int32_t state, Py_UCS4 ch) {
    uint64_t key = ((uint64_t)state << 21 | ch) + 1;
    size_t slot = prefixes_slot(t, key);
    return t->keys[slot] ? t->moves[slot] : 0;
}

/* Build from a list of (str, list of ids) pairs, the strings distinct. */
static int prefixes_build(Prefixes *t, PyObject *table, Py_ssize_t routes) {
    if (!PyList_Check(table)) {
        PyErr_SetString(PyExc_TypeError, "a table must be a list of (str, ids) pairs");
        return -1;
    }
    t->count = PyList_GET_SIZE(table);
    if (idlists_init(&t->lists, t->count) < 0) return -1;
    Py_ssize_t total = 0;
    for (Py_ssize_t k = 0; k < t->count; k++) {
        PyObject *pair = PyList_GET_ITEM(table, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyUnicode_Check(PyTuple_GET_ITEM(pair, 0))) {
            PyErr_SetString(PyExc_TypeError, "a table must be a list of (str, ids) pairs");
            return -1;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(pair, 0));
        total += length;
        t->longest = length > t->longest ? length : t->longest;
        if (idlists_read(&t->lists, k, PyTuple_GET_ITEM(pair, 1), routes) < 0) return -1;
    }
    size_t capacity = 16;
    while (capacity < (size_t)total * 2 + 2) capacity *= 2;
    t->mask = capacity - 1;
    t->keys = PyMem_Calloc(capacity, sizeof(uint64_t));
    t->moves = PyMem_Malloc(capacity * sizeof(int32_t));
    t->ends = PyMem_Calloc((size_t)total + 1, sizeof(int32_t));
    if (!t->keys || !t->moves || !t->ends) return PyErr_NoMemory(), -1;
    t->states = 1;
    for (Py_ssize_t k = 0; k < t->count; k++) {
        PyObject *string = PyTuple_GET_ITEM(PyList_GET_ITEM(table, k), 0);
        int32_t state = 0;
        for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(string); i++) {
            uint64_t key = ((uint64_t)state << 21 | PyUnicode_READ_CHAR(string, i)) + 1;
            size_t slot = prefixes_slot(t, key);
            if (!t->keys[slot]) {
                t->keys[slot] = key;
                t->moves[slot] = t->states++;
            }
            state = t->moves[slot];
        }
        if (t->ends[state]) {
            PyErr_SetString(PyExc_ValueError, "a table's strings must be distinct");
            return -1;
        }
        t->ends[state] = (int32_t)(k + 1);
    }
    return 0;
}

static void prefixes_free(Prefixes *t) {
    PyMem_Free(t->keys);
    PyMem_Free(t->moves);
    PyMem_Free(t->ends);
    idlists_free(&t->lists);
}

static inline int is_space(Py_UCS4 ch) { return Py_UNICODE_ISSPACE(ch); }

/* The strings of t text[from:n] starts with, respaced (" ".join(text[from:n].split())) if respace, else as it is:
   their numbers (at most t->longest + 1 of them) go to found; returns how many. */
static Py_ssize_t prefixes_of(const Prefixes *t, int kind, const void *data, Py_ssize_t from, Py_ssize_t n,
                              int respace, int32_t *found) {
    Py_ssize_t count = 0;
    if (!t->count) return 0;
    if (t->ends[0]) found[count++] = t->ends[0] - 1; /* the empty string */
    int32_t state = 0;
    int begun = 0, pending = 0;
    for (Py_ssize_t i = from; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (respace) {
            if (is_space(ch)) {
                pending = begun;
                continue;
            }
            if (pending) {
                if (!(state = prefixes_step(t, state, ' '))) return count;
                if (t->ends[state]) found[count++] = t->ends[state] - 1;
                pending = 0;
            }
            begun = 1;
        }
        if (!(state = prefixes_step(t, state, ch))) return count;
        if (t->ends[state]) found[count++] = t->ends[state] - 1;
    }
    return count;
}

/* The strings text[:end] ends with (their reversals in t), as prefixes_of. */
static Py_ssize_t suffixes_of(const Prefixes *t, int kind, const void *data, Py_ssize_t end, int32_t *found) {
    Py_ssize_t count = 0;
    if (!t->count) return 0;
    if (t->ends[0]) found[count++] = t->ends[0] - 1;
    int32_t state = 0;
    for (Py_ssize_t i = end - 1; i >= 0; i--) {
        if (!(state = prefixes_step(t, state, PyUnicode_READ(kind, data, i)))) return count;
        if (t->ends[state]) found[count++] = t->ends[state] - 1;
    }
    return count;
}

/* A route's shape (textclean/_matcher_shape.py): bounds on the line's rest from where it is tried, -1 for none. */
enum { LEAST = 4 };
typedef struct {
    int64_t width, letters, head, tail;
    int64_t least[LEAST];          /* the fewest characters of each class (0: no class) */
    uint64_t classes[LEAST][2];    /* bit c: ASCII character c is of the class (and so is every other character) */
    uint64_t alphabet[2];          /* bit c: ASCII character c may stand between the head and the tail */
} RouteShape;

typedef struct {
    Prefixes starts, keys, ends[2], firsts; /* ends: [0] lines starting with a letter, [1] the others */
    IdLists open[2], digits, words[2];      /* words: per side, per word of the finder */
    Finder finder;
    CharSet tail, twins;
    int32_t *owners;
    RouteShape *shapes;
    Py_ssize_t routes, filed, longest;
} Router;

static void router_free(PyObject *capsule) {
    Router *s = PyCapsule_GetPointer(capsule, "textclean.router");
    if (!s) return;
    prefixes_free(&s->starts);
    prefixes_free(&s->keys);
    prefixes_free(&s->ends[0]);
    prefixes_free(&s->ends[1]);
    prefixes_free(&s->firsts);
    for (int side = 0; side < 2; side++) {
        idlists_free(&s->open[side]);
        idlists_free(&s->words[side]);
    }
    idlists_free(&s->digits);
    automaton_free(&s->finder.a);
    PyMem_Free(s->finder.jump);
    PyMem_Free(s->finder.bmp);
    charset_free(&s->tail);
    charset_free(&s->twins);
    PyMem_Free(s->owners);
    PyMem_Free(s->shapes);
    PyMem_Free(s);
}

/* The words of (word, letter-side ids, other-side ids) triples: the finder and its two lists per word. */
static int router_words(Router *s, PyObject *triples) {
    if (!PyList_Check(triples)) {
        PyErr_SetString(PyExc_TypeError, "words must be a list of (word, ids, ids) triples");
        return -1;
    }
    Py_ssize_t count = PyList_GET_SIZE(triples);
    PyObject *words = PyList_New(count);
    if (!words) return -1;
    int failed = idlists_init(&s->words[0], count) < 0 || idlists_init(&s->words[1], count) < 0;
    for (Py_ssize_t k = 0; !failed && k < count; k++) {
        PyObject *triple = PyList_GET_ITEM(triples, k);
        PyObject *word = PyTuple_Check(triple) && PyTuple_GET_SIZE(triple) == 3 ? PyTuple_GET_ITEM(triple, 0) : NULL;
        if (!word || !PyUnicode_Check(word) || !PyUnicode_GET_LENGTH(word)) {
            PyErr_SetString(PyExc_ValueError, "words must be (non-empty str, ids, ids) triples");
            failed = 1;
            break;
        }
        Py_INCREF(word);
        PyList_SET_ITEM(words, k, word);
        failed = idlists_read(&s->words[0], k, PyTuple_GET_ITEM(triple, 1), s->routes) < 0 ||
                 idlists_read(&s->words[1], k, PyTuple_GET_ITEM(triple, 2), s->routes) < 0;
    }
    failed = failed || finder_build(&s->finder, words) < 0;
    Py_DECREF(words);
    return failed ? -1 : 0;
}

static PyObject *route_spec(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *starts, *keys, *ends, *open, *words, *firsts, *digits, *owners, *tail, *twins;
    Py_ssize_t filed;
    Py_buffer shapes;
    if (!PyArg_ParseTuple(args, "OOO!O!OOOO!ny*UU:route_spec", &starts, &keys, &PyList_Type, &ends, &PyList_Type,
                          &open, &words, &firsts, &digits, &PyList_Type, &owners, &filed, &shapes, &tail, &twins))
        return NULL;
    Router *s = PyMem_Calloc(1, sizeof(Router));
    PyObject *capsule = s ? PyCapsule_New(s, "textclean.router", router_free) : NULL;
    if (!capsule) {
        PyMem_Free(s);
        PyBuffer_Release(&shapes);
        return s ? NULL : PyErr_NoMemory();
    }
    s->routes = PyList_GET_SIZE(owners);
    s->filed = filed;
    int failed = PyList_GET_SIZE(ends) != 2 || PyList_GET_SIZE(open) != 2 || filed < 0 || filed > s->routes ||
                 shapes.len != s->routes * (Py_ssize_t)sizeof(RouteShape);
    if (failed) PyErr_SetString(PyExc_ValueError, "two sides of ends, a shape per route and filed routes in range");
    s->owners = failed ? NULL : PyMem_Malloc((size_t)(s->routes ? s->routes : 1) * sizeof(int32_t));
    s->shapes = failed ? NULL : PyMem_Malloc((size_t)(s->routes ? s->routes : 1) * sizeof(RouteShape));
    if (!failed && (!s->owners || !s->shapes)) failed = (PyErr_NoMemory(), 1);
    for (Py_ssize_t r = 0; !failed && r < s->routes; r++) {
        long owner = PyLong_AsLong(PyList_GET_ITEM(owners, r));
        if (owner == -1 && PyErr_Occurred()) failed = 1;
        else if (owner < 0 || owner >= s->routes) failed = (PyErr_SetString(PyExc_ValueError, "an owner out of range"), 1);
        else s->owners[r] = (int32_t)owner;
    }
    if (!failed) memcpy(s->shapes, shapes.buf, (size_t)shapes.len);
    for (Py_ssize_t r = 0; r < s->routes && !failed; r++) { /* fits() indexes the line by head and tail */
        const RouteShape *shape = &s->shapes[r];
        int bad = shape->head < 0 || shape->tail < 0 || shape->width < -1 || shape->letters < -1;
        for (int k = 0; k < LEAST; k++) bad = bad || shape->least[k] < 0;
        if (bad) failed = (PyErr_SetString(PyExc_ValueError, "a shape with a negative head, tail or count"), 1);
    }
    failed = failed || prefixes_build(&s->starts, starts, s->routes) < 0 ||
             prefixes_build(&s->keys, keys, s->filed) < 0 ||
             prefixes_build(&s->ends[0], PyList_GET_ITEM(ends, 0), s->routes) < 0 ||
             prefixes_build(&s->ends[1], PyList_GET_ITEM(ends, 1), s->routes) < 0 ||
             prefixes_build(&s->firsts, firsts, s->routes) < 0 ||
             idlist_build(&s->open[0], PyList_GET_ITEM(open, 0), s->routes) < 0 ||
             idlist_build(&s->open[1], PyList_GET_ITEM(open, 1), s->routes) < 0 ||
             idlist_build(&s->digits, digits, s->routes) < 0 || router_words(s, words) < 0 ||
             charset_build(&s->tail, tail) < 0 || charset_build(&s->twins, twins) < 0;
    if (!failed) {
        Py_ssize_t longest = s->starts.longest;
        longest = s->keys.longest > longest ? s->keys.longest : longest;
        longest = s->ends[0].longest > longest ? s->ends[0].longest : longest;
        longest = s->ends[1].longest > longest ? s->ends[1].longest : longest;
        s->longest = longest + 2; /* room for the empty string too */
    }
    PyBuffer_Release(&shapes);
    if (failed) Py_CLEAR(capsule);
    return capsule;
}

enum { MAX_LEAD = 8, KEY = 4 };

static inline int is_ascii_letter(Py_UCS4 ch) { return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'; }

static inline int in_bits(const uint64_t bits[2], Py_UCS4 ch) { return ch > 127 || (bits[ch >> 6] >> (ch & 63) & 1); }

/* Whether the rest of a line from at fits a route's shape (Shape.plain_fits). */
static int fits(const RouteShape *shape, int kind, const void *data, Py_ssize_t n, Py_ssize_t at) {
    Py_ssize_t end = n - (n > 0 && PyUnicode_READ(kind, data, n - 1) == '\n');
    Py_ssize_t rest = end > at ? end - at : 0;
    if (shape->width >= 0 && rest > shape->width) return 0;
    if (shape->letters >= 0) {
        int64_t letters = 0;
        for (Py_ssize_t i = at; i < end; i++) letters += is_ascii_letter(PyUnicode_READ(kind, data, i));
        if (letters > shape->letters) return 0;
    }
    for (int k = 0; k < LEAST && shape->least[k]; k++) { /* from at to the very end, a final newline included */
        int64_t count = 0;
        for (Py_ssize_t i = at; i < n && count < shape->least[k]; i++)
            count += in_bits(shape->classes[k], PyUnicode_READ(kind, data, i));
        if (count < shape->least[k]) return 0;
    }
    Py_ssize_t stop = end - shape->tail > 0 ? end - (Py_ssize_t)shape->tail : 0;
    for (Py_ssize_t i = at + (Py_ssize_t)shape->head; i < stop; i++)
        if (!in_bits(shape->alphabet, PyUnicode_READ(kind, data, i))) return 0;
    return 1;
}

/* The routes found for one line, and the stamps that keep each word and alternative once per line. */
typedef struct {
    Buffer found;        /* int32 route ids, as found */
    int32_t *strings;    /* the strings a trie walk found (room for the longest string + 2) */
    Py_ssize_t *started; /* per alternative (owner): the last line whose start strings hold for it */
    Py_ssize_t *owned;   /* per owner: the last line that took a route of it */
    Py_ssize_t *seen;    /* per word: the last line holding it */
} Walk;

static int push_list(Walk *w, const IdLists *l, Py_ssize_t k) {
    for (int32_t i = l->offsets[k]; i < l->offsets[k + 1]; i++)
        if (buffer_push(&w->found, l->ids[i]) < 0) return -1;
    return 0;
}

static ALWAYS_INLINE Py_UCS4 unit_at(int kind, const void *data, Py_ssize_t i) {
    return kind == PyUnicode_1BYTE_KIND   ? ((const Py_UCS1 *)data)[i]
           : kind == PyUnicode_2BYTE_KIND ? ((const Py_UCS2 *)data)[i]
                                          : ((const Py_UCS4 *)data)[i];
}

/* The words a line holds (their routes on its side go to w->found, each word once): 1 when the line holds a case
   twin (then nothing else matters), 0, or -1 on an error. Inlined per string kind, so the loop reads its kind's
   units directly. */
static ALWAYS_INLINE int scan_words(const Router *s, Walk *w, int kind, const void *data, Py_ssize_t n, Py_ssize_t row,
                                    int side) {
    const Finder *f = &s->finder;
    const int32_t *jump = f->jump, *word = f->a.word, *output = f->a.output;
    Py_ssize_t width = f->a.symbols + 1;
    int32_t offset = 0; /* the state's, in jump */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = unit_at(kind, data, i);
        if (ch > 127 && in_set(&s->twins, ch)) return 1;
        offset = jump[offset + finder_symbol(f, ch)];
        if (offset >= 0) continue;
        offset = ~offset;
        int32_t state = (int32_t)(offset / width);
        for (int32_t at = word[state] >= 0 ? state : output[state]; at; at = output[at]) {
            int32_t k = word[at];
            if (w->seen[k] == row) continue;
            w->seen[k] = row;
            if (push_list(w, &s->words[side], k) < 0) return -1;
        }
    }
    return 0;
}

/* The routes of one lowered line (row, lead: its leading punctuation's length) as a tuple, or Py_None when it
   holds a case twin; NULL with an error set. */
static PyObject *routes_of(const Router *s, Walk *w, PyObject *line, Py_ssize_t row, Py_ssize_t lead) {
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t n = PyUnicode_GET_LENGTH(line);
    int letter = n > 0 && Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, 0)), side = !letter;
    w->found.size = 0;
    int scanned = kind == PyUnicode_1BYTE_KIND   ? scan_words(s, w, PyUnicode_1BYTE_KIND, data, n, row, side)
                  : kind == PyUnicode_2BYTE_KIND ? scan_words(s, w, PyUnicode_2BYTE_KIND, data, n, row, side)
                                                 : scan_words(s, w, PyUnicode_4BYTE_KIND, data, n, row, side);
    if (scanned < 0) return NULL;
    if (scanned) return Py_NewRef(Py_None);
    if (lead <= MAX_LEAD) { /* start strings (filed routes and, on a letter line, anchored ones), then filing keys */
        Py_ssize_t count = prefixes_of(&s->starts, kind, data, lead, n, 1, w->strings);
        for (Py_ssize_t j = 0; j < count; j++) {
            const IdLists *l = &s->starts.lists;
            for (int32_t i = l->offsets[w->strings[j]]; i < l->offsets[w->strings[j] + 1]; i++) {
                int32_t route = l->ids[i]; /* a filed alternative's first filing stands for all of them */
                if (route < s->filed) w->started[s->owners[route]] = row;
                else if (letter && buffer_push(&w->found, route) < 0) return NULL;
            }
        }
        Py_ssize_t stop = lead + KEY < n ? lead + KEY : n;
        count = prefixes_of(&s->keys, kind, data, lead, stop, 0, w->strings);
        for (Py_ssize_t j = 0; j < count; j++) {
            const IdLists *l = &s->keys.lists;
            for (int32_t i = l->offsets[w->strings[j]]; i < l->offsets[w->strings[j] + 1]; i++)
                if (w->started[s->owners[l->ids[i]]] == row && buffer_push(&w->found, l->ids[i]) < 0) return NULL;
        }
    }
    Py_ssize_t end = n; /* final words: the line less its tail characters */
    while (end > 0 && in_set(&s->tail, PyUnicode_READ(kind, data, end - 1))) end--;
    if (end > 0 && !Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, end - 1))) {
        if (push_list(w, &s->open[side], 0) < 0) return NULL;
    } else {
        Py_ssize_t count = suffixes_of(&s->ends[side], kind, data, end, w->strings);
        for (Py_ssize_t j = 0; j < count; j++)
            if (push_list(w, &s->ends[side].lists, w->strings[j]) < 0) return NULL;
    }
    if (!letter) { /* first characters: the first min(lead, MAX_LEAD) + 1 */
        int decimal = 0;
        for (Py_ssize_t i = 0; i < n && i <= (lead < MAX_LEAD ? lead : MAX_LEAD); i++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            decimal = decimal || Py_UNICODE_ISDECIMAL(ch);
            int32_t at = s->firsts.count ? prefixes_step(&s->firsts, 0, ch) : 0;
            if (at && s->firsts.ends[at] && push_list(w, &s->firsts.lists, s->firsts.ends[at] - 1) < 0) return NULL;
        }
        if (decimal && push_list(w, &s->digits, 0) < 0) return NULL;
    }
    int32_t *found = (int32_t *)w->found.data;
    Py_ssize_t count = w->found.size, kept = 0;
    if (count > 1) qsort(found, (size_t)count, sizeof(int32_t), compare_int32);
    for (Py_ssize_t j = 0; j < count; j++) { /* in order, each alternative once, if the line fits its shape */
        int32_t route = found[j], owner = s->owners[route];
        if ((j && route == found[j - 1]) || w->owned[owner] == row) continue;
        if (!fits(&s->shapes[route], kind, data, n, route < s->filed ? lead : 0)) continue;
        w->owned[owner] = row;
        found[kept++] = route;
    }
    PyObject *routes = PyTuple_New(kept);
    for (Py_ssize_t j = 0; routes && j < kept; j++) {
        PyObject *number = PyLong_FromLong(found[j]);
        if (!number) Py_CLEAR(routes);
        else PyTuple_SET_ITEM(routes, j, number);
    }
    return routes;
}

/* The length of a line's leading [\W\d_]*: ASCII characters but the letters are in it, letters (str.isalpha, which
   regex counts as \w: tests/test_classify_fast.py checks every code point) end it; at any other character lead_of
   (line) says. -1 on an error. */
static Py_ssize_t lead_of_line(PyObject *line, PyObject *lead_of) {
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t n = PyUnicode_GET_LENGTH(line);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 128 ? is_ascii_letter(ch) : Py_UNICODE_ISALPHA(ch)) return i;
        if (ch < 128) continue;
        PyObject *measured = PyObject_CallOneArg(lead_of, line); /* a mark, a digit, a symbol...: regex knows */
        if (!measured) return -1;
        Py_ssize_t lead = PyLong_AsSsize_t(measured);
        Py_DECREF(measured);
        if (lead < 0 && !PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "lead_of gave a negative length");
        return lead;
    }
    return n;
}

static PyObject *route_lines(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *capsule, *lines, *lead_of;
    if (!PyArg_ParseTuple(args, "OO!O:route_lines", &capsule, &PyList_Type, &lines, &lead_of)) return NULL;
    Router *s = PyCapsule_GetPointer(capsule, "textclean.router");
    if (!s) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(lines);
    PyObject *rows = PyList_New(0), *starts = PyList_New(0), *found = PyList_New(0);
    Walk w = {0};
    w.strings = PyMem_Malloc((size_t)s->longest * sizeof(int32_t));
    w.started = PyMem_Malloc((size_t)(s->routes ? s->routes : 1) * sizeof(Py_ssize_t));
    w.owned = PyMem_Malloc((size_t)(s->routes ? s->routes : 1) * sizeof(Py_ssize_t));
    w.seen = PyMem_Malloc((size_t)(s->finder.count ? s->finder.count : 1) * sizeof(Py_ssize_t));
    if (!rows || !starts || !found || !w.strings || !w.started || !w.owned || !w.seen) {
        if (rows && starts && found) PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t k = 0; k < s->routes; k++) w.started[k] = w.owned[k] = -1;
    for (Py_ssize_t k = 0; k < s->finder.count; k++) w.seen[k] = -1;
    for (Py_ssize_t row = 0; row < count; row++) {
        PyObject *line = PyList_GET_ITEM(lines, row);
        if (!PyUnicode_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "lines must be str");
            goto fail;
        }
        Py_ssize_t lead = lead_of_line(line, lead_of);
        if (lead < 0) goto fail;
        PyObject *routes = routes_of(s, &w, line, row, lead);
        if (!routes) goto fail;
        if (routes != Py_None && !PyTuple_GET_SIZE(routes)) {
            Py_DECREF(routes);
            continue;
        }
        PyObject *number = PyLong_FromSsize_t(row), *start = PyLong_FromSsize_t(lead);
        int bad = !number || !start || PyList_Append(rows, number) < 0 || PyList_Append(starts, start) < 0 ||
                  PyList_Append(found, routes) < 0;
        Py_XDECREF(number);
        Py_XDECREF(start);
        Py_DECREF(routes);
        if (bad) goto fail;
    }
    PyMem_Free(w.found.data);
    PyMem_Free(w.strings);
    PyMem_Free(w.started);
    PyMem_Free(w.owned);
    PyMem_Free(w.seen);
    return Py_BuildValue("(NNN)", rows, starts, found);
fail:
    PyMem_Free(w.found.data);
    PyMem_Free(w.strings);
    PyMem_Free(w.started);
    PyMem_Free(w.owned);
    PyMem_Free(w.seen);
    Py_XDECREF(rows);
    Py_XDECREF(starts);
    Py_XDECREF(found);
    return NULL;
}

/* The line shapes of a batch: code_blocks and class_bits (textclean/_lineshape_classes.py holds their numpy
   reference), row_shapes (textclean/_lineshape_rows.py). The class bits mirror _lineshape_classes's layout and
   the flags _lineshape_rows's; the tests compare the kernels with the references. */
enum {
    COUNTED_BITS = 0x1f, /* the five counted classes (digits, punctuation, CJK, capitals, uncased), in column order */
    SPACE_BIT = 1 << 5,
    UPPER_BIT = 1 << 3,
    RXDIGIT_BIT = 1 << 7,
    RXSPACE_BIT = 1 << 8,
    SEPA_BIT = 1 << 9,
    SEPB_BIT = 1 << 10,
    BULLET_BIT = 1 << 11,
    BYLINE_BIT = 1 << 12,
    LETTER_BIT = 1 << 13, /* row_shapes' \\w: a letter (code_blocks, class_bits) */
    URL_BIT = 1 << 14,
};
enum { TAIL_CLOSER = 1, TAIL_END = 2, TAIL_COLON = 4, TAIL_ELLIPSIS = 8 }; /* tails table and TAIL column flags */
enum { GATE_BULLET = 1, GATE_BYLINE = 2, GATE_SEPARATOR = 4 };              /* GATES column flags */
enum { MARK_DATE = 1, MARK_W = 2, MARK_CONH = 4, MARK_SLASH = 8 };          /* ASCII characters the gates look beside */
enum { ROW_COLUMNS = 12, DATE_REACH = 199 }; /* a date gate's pair starts fewer than DATE_REACH characters in */
enum { FIELD = 12, FIELD_ROOM = (1 << FIELD) - 1 }; /* the five counts, packed in twelve-bit fields of a uint64 */
#define BMP 0x10000


static unsigned char ascii_marks[128];
static uint64_t packed_counts[COUNTED_BITS + 1]; /* bit k of the counted classes moves to bit FIELD k */

static void line_shapes_init(void) {
    for (const char *c = ":./-"; *c; c++) ascii_marks[(unsigned char)*c] |= MARK_DATE;
    for (const char *c = "conhCONH"; *c; c++) ascii_marks[(unsigned char)*c] |= MARK_CONH;
    ascii_marks['w'] |= MARK_W;
    ascii_marks['W'] |= MARK_W;
    ascii_marks['/'] |= MARK_SLASH;
    for (unsigned b = 0; b <= COUNTED_BITS; b++)
        for (unsigned k = 0; k < 5; k++)
            if (b & (1u << k)) packed_counts[b] |= (uint64_t)1 << (FIELD * k);
}

static inline unsigned mark_of(Py_UCS4 ch) { return ch < 128 ? ascii_marks[ch] : 0; }

static PyObject *code_blocks(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U:code_blocks", &text)) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *blocks = PyBytes_FromStringAndSize(NULL, BMP >> 8), *result = NULL;
    Buffer astral = {0};
    if (!blocks) return NULL;
    unsigned char *seen = (unsigned char *)PyBytes_AS_STRING(blocks);
    memset(seen, 0, BMP >> 8);
    if (kind == PyUnicode_1BYTE_KIND) {
        seen[0] = n > 0; /* every code point lies below 256 */
    } else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *units = data;
        for (Py_ssize_t i = 0; i < n; i++) seen[units[i] >> 8] = 1;
    } else {
        const Py_UCS4 *units = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            if (units[i] < BMP) seen[units[i] >> 8] = 1;
            else if (buffer_push(&astral, (int32_t)units[i]) < 0) goto done;
        }
        if (astral.size > 1) qsort(astral.data, (size_t)astral.size, sizeof(uint32_t), compare_uint32);
        Py_ssize_t distinct = 0;
        uint32_t *codes = (uint32_t *)astral.data;
        for (Py_ssize_t i = 0; i < astral.size; i++)
            if (!i || codes[i] != codes[i - 1]) codes[distinct++] = codes[i];
        astral.size = distinct;
    }
    PyObject *codes = buffer_bytes(&astral, sizeof(uint32_t));
    if (codes) result = PyTuple_Pack(2, blocks, codes);
    Py_XDECREF(codes);
done:
    Py_DECREF(blocks);
    PyMem_Free(astral.data);
    return result;
}

static PyObject *class_bits(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *text, *result = NULL, *found = NULL, *points = NULL;
    Py_buffer table_buffer, codes_buffer, values_buffer;
    if (!PyArg_ParseTuple(args, "Uy*y*y*:class_bits", &text, &table_buffer, &codes_buffer, &values_buffer))
        return NULL;
    const uint16_t *table = table_buffer.buf, *values = values_buffer.buf;
    const uint32_t *codes = codes_buffer.buf;
    Py_ssize_t astral = codes_buffer.len / (Py_ssize_t)sizeof(uint32_t);
    if (table_buffer.len != BMP * (Py_ssize_t)sizeof(uint16_t) || codes_buffer.len % (Py_ssize_t)sizeof(uint32_t) ||
        values_buffer.len != astral * (Py_ssize_t)sizeof(uint16_t)) {
        PyErr_SetString(PyExc_ValueError, "class_bits needs a uint16 table of the BMP and uint16 bits per astral code");
        goto done;
    }
    int kind = PyUnicode_KIND(text), ascii = PyUnicode_IS_ASCII(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    found = PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(uint16_t));
    points = ascii ? PyBytes_FromStringAndSize(data, n) : PyBytes_FromStringAndSize(NULL, n * (Py_ssize_t)sizeof(uint32_t));
    if (!found || !points) goto done;
    uint16_t *bits = (uint16_t *)PyBytes_AS_STRING(found);
    uint32_t *wide = ascii ? NULL : (uint32_t *)PyBytes_AS_STRING(points);
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *units = data;
        for (Py_ssize_t i = 0; i < n; i++) bits[i] = table[units[i]];
        if (wide)
            for (Py_ssize_t i = 0; i < n; i++) wide[i] = units[i];
    } else if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *units = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            bits[i] = table[units[i]];
            wide[i] = units[i];
        }
    } else {
        const Py_UCS4 *units = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_UCS4 ch = units[i];
            wide[i] = ch;
            if (ch < BMP) {
                bits[i] = table[ch];
                continue;
            }
            Py_ssize_t low = 0, high = astral; /* the first code not below ch */
            while (low < high) {
                Py_ssize_t mid = (low + high) / 2;
                if (codes[mid] < ch) low = mid + 1;
                else high = mid;
            }
            if (low == astral || codes[low] != ch) {
                PyErr_SetString(PyExc_ValueError, "class_bits: a code point beyond the BMP is missing from astral");
                goto done;
            }
            bits[i] = values[low];
        }
    }
    result = PyTuple_Pack(2, found, points);
done:
    Py_XDECREF(found);
    Py_XDECREF(points);
    PyBuffer_Release(&table_buffer);
    PyBuffer_Release(&codes_buffer);
    PyBuffer_Release(&values_buffer);
    return result;
}

/* What the row_shapes kernel reads: the text and its class bits, the tails table. */
typedef struct {
    const void *data;
    const uint16_t *bits;
    const unsigned char *tails;
    Py_ssize_t n;
} LineShapes;


static ALWAYS_INLINE unsigned tail_of(const LineShapes *s, Py_UCS4 ch) { return ch < BMP ? s->tails[ch] : 0; }

/* The gates at position i of a row starting at start, a character of class bits b among SEPA, URL, RXDIGIT
   (as the numpy reference reads them: position -1 is the text's last character, past the end is the last). */
static ALWAYS_INLINE void gate_at(int kind, const LineShapes *s, Py_ssize_t start, Py_ssize_t i, unsigned b,
                                  int32_t *gates, int32_t *url_at, int32_t *date_at) {
    const uint16_t *bits = s->bits;
    Py_ssize_t last = s->n - 1, before = i > 0 ? i - 1 : last, after = i < last ? i + 1 : last;
    if (b & SEPA_BIT) { /* one of |·• beside a space, or one of »›/ between spaces */
        int space_before = i > 0 && (bits[i - 1] & RXSPACE_BIT), space_after = i < last && (bits[i + 1] & RXSPACE_BIT);
        if (((b & SEPB_BIT) && (space_before || space_after)) || (space_before && space_after))
            *gates |= GATE_SEPARATOR;
    }
    if ((b & URL_BIT) && *url_at < 0) { /* "@", ":/", "w." or "W.", "." before one of conhCONH */
        Py_UCS4 ch = unit_at(kind, s->data, i);
        unsigned mark_before = mark_of(unit_at(kind, s->data, before)), mark_after = mark_of(unit_at(kind, s->data, after));
        if (ch == '@' || (ch == ':' && (mark_after & MARK_SLASH)) ||
            (ch == '.' && ((mark_before & MARK_W) || (mark_after & MARK_CONH))))
            *url_at = (int32_t)(i - start);
    }
    if ((b & RXDIGIT_BIT) && *date_at < 0 && i - start < DATE_REACH && i < last && (bits[i + 1] & RXDIGIT_BIT)) {
        /* two digits: four in a row, or after one of ":./-" */
        unsigned run = bits[i + 2 < last ? i + 2 : last] & bits[i + 3 < last ? i + 3 : last] & RXDIGIT_BIT;
        if (run || (mark_of(unit_at(kind, s->data, before)) & MARK_DATE)) *date_at = (int32_t)(i - start);
    }
}

/* The TAIL flags of the row text[start:stop] (not empty): those of its last character, TAIL_ELLIPSIS also for "...";
   after closers and spaces, TAIL_CLOSER and whether the character before them ends a sentence (as str.rstrip). */
static ALWAYS_INLINE int32_t tail_flags(int kind, const LineShapes *s, Py_ssize_t start, Py_ssize_t stop) {
    unsigned flags = tail_of(s, unit_at(kind, s->data, stop - 1));
    if (flags & TAIL_CLOSER) {
        Py_ssize_t j = stop - 1;
        while (j >= start && (tail_of(s, unit_at(kind, s->data, j)) & TAIL_CLOSER)) j--;
        return TAIL_CLOSER | (j >= start && (tail_of(s, unit_at(kind, s->data, j)) & TAIL_END) ? TAIL_END : 0);
    }
    if (stop - start >= 3 && unit_at(kind, s->data, stop - 1) == '.' && unit_at(kind, s->data, stop - 2) == '.' &&
        unit_at(kind, s->data, stop - 3) == '.')
        flags |= TAIL_ELLIPSIS;
    return (int32_t)flags;
}

/* Measure the row starting at start (it ends at the next "\n" or the end of the text) into out; return its end,
   or -1 when it is empty. */
static ALWAYS_INLINE Py_ssize_t measure_row(int kind, const LineShapes *s, Py_ssize_t start, int32_t *out) {
    const uint16_t *bits = s->bits;
    uint64_t packed = 0;
    int32_t counts[5] = {0}, tokens = 0, capitalised = 0, commas = 0, gates = 0, url_at = -1, date_at = -1;
    unsigned space = start == 0 || (bits[start - 1] & SPACE_BIT), pending = 0; /* 0 or 1 */
    Py_ssize_t stop = start;
    for (; stop < s->n; stop++) {
        Py_UCS4 ch = unit_at(kind, s->data, stop);
        if (ch == '\n') break;
        unsigned b = bits[stop];
        packed += packed_counts[b & COUNTED_BITS];
        if (++pending == FIELD_ROOM) { /* a field holds FIELD_ROOM counts */
            for (int k = 0; k < 5; k++) counts[k] += (int32_t)((packed >> (FIELD * k)) & FIELD_ROOM);
            packed = 0;
            pending = 0;
        }
        unsigned is_space = (b & SPACE_BIT) != 0, token = space & !is_space; /* a str.split token starts */
        tokens += (int32_t)token;
        capitalised += (int32_t)(token & ((b & UPPER_BIT) != 0));
        space = is_space;
        commas += ch == ',';
        if (b & (SEPA_BIT | URL_BIT | RXDIGIT_BIT)) gate_at(kind, s, start, stop, b, &gates, &url_at, &date_at);
    }
    if (stop == start) return -1;
    for (int k = 0; k < 5; k++) counts[k] += (int32_t)((packed >> (FIELD * k)) & FIELD_ROOM);
    unsigned first = bits[start];
    Py_UCS4 second = stop - start > 1 ? unit_at(kind, s->data, start + 1) : 0;
    if ((first & (BULLET_BIT | RXDIGIT_BIT)) || second == '.' || second == ')') gates |= GATE_BULLET;
    if (first & BYLINE_BIT) gates |= GATE_BYLINE;
    int32_t row[ROW_COLUMNS] = {counts[0], counts[1], counts[2], counts[3], counts[4], tokens, capitalised, commas,
                                tail_flags(kind, s, start, stop), gates, url_at, date_at};
    memcpy(out, row, sizeof(row));
    return stop;
}

/* MinHash signing (textclean/_minhash.py: the numpy reference; textclean/_minhash_kernels.py: the same loops in
   numba). The arrays are the caller's numpy arrays, read and written in place. */
static int minhash_buffer(PyObject *object, Py_buffer *view, Py_ssize_t itemsize, int writable, const char *name) {
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0) return -1;
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes", name, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

typedef struct {
    Py_ssize_t itemsize;
    int writable;
    const char *name;
} BufferSpec;

/* The buffers of count arrays (released by release_all, also after a failure part way). */
static int acquire_all(PyObject *const *objects, Py_buffer *views, const BufferSpec *specs, size_t count) {
    for (size_t k = 0; k < count; k++)
        if (minhash_buffer(objects[k], &views[k], specs[k].itemsize, specs[k].writable, specs[k].name) < 0) return -1;
    return 0;
}

/* The five array arguments of a kernel (format: "OOOOO:name"), as buffers. */
static int five_buffers(PyObject *args, const char *format, const BufferSpec *specs, Py_buffer *views) {
    PyObject *objects[5];
    if (!PyArg_ParseTuple(args, format, &objects[0], &objects[1], &objects[2], &objects[3], &objects[4])) return -1;
    return acquire_all(objects, views, specs, 5);
}

static void release_all(Py_buffer *views, size_t count) {
    for (size_t k = 0; k < count; k++)
        if (views[k].obj) PyBuffer_Release(&views[k]);
}

static inline uint64_t fmix64(uint64_t value) {
    value ^= value >> 33;
    value *= 0xFF51AFD7ED558CCDULL;
    value ^= value >> 33;
    value *= 0xC4CEB9FE1A85EC53ULL;
    return value ^ (value >> 33);
}

static uint32_t combine(const uint64_t *ring, Py_ssize_t ngram, Py_ssize_t first, Py_ssize_t count,
                        const uint64_t *ngram_mult) {
    uint64_t combined = 0;
    for (Py_ssize_t k = 0; k < count; k++) combined += ring[(first + k) % ngram] * ngram_mult[k];
    return (uint32_t)(fmix64(combined) >> 32);
}

static PyObject *minhash_shingles(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *objects[7];
    int fold_digits;
    Py_ssize_t ngram;
    if (!PyArg_ParseTuple(args, "OOOpnOOOO:minhash_shingles", &objects[0], &objects[1], &objects[2], &fold_digits,
                          &ngram, &objects[3], &objects[4], &objects[5], &objects[6]))
        return NULL;
    static const BufferSpec specs[7] = {{4, 0, "points"},        {8, 0, "text_bounds"}, {1, 0, "table"},
                                        {8, 0, "position_mult"}, {8, 0, "ngram_mult"},  {4, 1, "out"},
                                        {8, 1, "bounds"}};
    Py_buffer views[7] = {{0}};
    Py_buffer *points = &views[0], *text_bounds = &views[1], *table = &views[2], *position = &views[3],
              *ngram_buffer = &views[4], *out = &views[5], *bounds = &views[6];
    PyObject *result = NULL;
    uint64_t *ring = NULL;
    if (acquire_all(objects, views, specs, 7) < 0) goto done;
    Py_ssize_t texts = text_bounds->len / 8 - 1, positions = position->len / 8, capacity = out->len / 4;
    const uint32_t *point = points->buf;
    const int64_t *text_bound = text_bounds->buf;
    const unsigned char *flags = table->buf;
    const uint64_t *position_mult = position->buf, *ngram_mult = ngram_buffer->buf;
    uint32_t *hashes = out->buf;
    int64_t *bound = bounds->buf;
    if (texts < 0 || bounds->len / 8 != texts + 1 || ngram < 1 || ngram > ngram_buffer->len / 8 || !positions ||
        (positions & (positions - 1)) || table->len < 0x110000) {
        PyErr_SetString(PyExc_ValueError, "minhash_shingles: inconsistent arrays");
        goto done;
    }
    ring = PyMem_Calloc((size_t)ngram, sizeof(uint64_t));
    if (!ring) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t emitted = 0, total_points = points->len / 4;
    bound[0] = 0; /* an output: every text's start is written here, never read from the caller */
    for (Py_ssize_t text = 0; text < texts; text++) {
        Py_ssize_t first = emitted, words = 0, length = 0, start = (Py_ssize_t)text_bound[text], end = (Py_ssize_t)text_bound[text + 1];
        uint64_t state = 0;
        if (start < 0 || end < start || end > total_points) {
            PyErr_SetString(PyExc_ValueError, "minhash_shingles: text bounds out of range");
            goto done;
        }
        for (Py_ssize_t i = start; i <= end; i++) {
            uint32_t code = i < end ? point[i] : 0x20;
            unsigned char flag = code < 0x110000 ? flags[code] : 0;
            if (flag & 1) {
                if (fold_digits && (flag & 2)) code = 0x30;
                state += (uint64_t)code * position_mult[length & (positions - 1)];
                length++;
            } else if (length) {
                ring[words % ngram] = fmix64(state + (uint64_t)length);
                words++;
                state = 0;
                length = 0;
                if (words >= ngram) {
                    if (emitted >= capacity) goto overflow;
                    hashes[emitted++] = combine(ring, ngram, words - ngram, ngram, ngram_mult);
                }
            }
        }
        if (words > 0 && words < ngram) {
            if (emitted >= capacity) goto overflow;
            hashes[emitted++] = combine(ring, ngram, 0, words, ngram_mult);
        }
        if (emitted - first > 1) { /* sorted, unique */
            qsort(hashes + first, (size_t)(emitted - first), sizeof(uint32_t), compare_uint32);
            Py_ssize_t last = first;
            for (Py_ssize_t i = first + 1; i < emitted; i++)
                if (hashes[i] != hashes[last]) hashes[++last] = hashes[i];
            emitted = last + 1;
        }
        bound[text + 1] = emitted;
    }
    result = Py_NewRef(Py_None);
    goto done;
overflow:
    PyErr_SetString(PyExc_ValueError, "minhash_shingles: out is too small");
done:
    PyMem_Free(ring);
    release_all(views, 7);
    return result;
}

static PyObject *minhash_signatures(PyObject *Py_UNUSED(self), PyObject *args) {
    static const BufferSpec specs[5] = {
        {4, 0, "hashes"}, {8, 0, "bounds"}, {4, 0, "a"}, {4, 0, "b"}, {4, 1, "signatures"}};
    Py_buffer views[5] = {{0}};
    PyObject *result = NULL;
    if (five_buffers(args, "OOOOO:minhash_signatures", specs, views) < 0) goto done;
    Py_ssize_t groups = views[1].len / 8 - 1, perms = views[2].len / 4, count = views[0].len / 4;
    const int64_t *bound = views[1].buf;
    const uint32_t *hash = views[0].buf, *mult = views[2].buf, *add = views[3].buf;
    uint32_t *rows = views[4].buf;
    if (groups < 0 || views[3].len != views[2].len || views[4].len / 4 != groups * perms) {
        PyErr_SetString(PyExc_ValueError, "minhash_signatures: inconsistent arrays");
        goto done;
    }
    for (Py_ssize_t group = 0; group < groups; group++) {
        uint32_t *row = rows + group * perms;
        if (bound[group] < 0 || bound[group + 1] < bound[group] || bound[group + 1] > count) {
            PyErr_SetString(PyExc_ValueError, "minhash_signatures: bounds out of range");
            goto done;
        }
        for (Py_ssize_t i = (Py_ssize_t)bound[group]; i < (Py_ssize_t)bound[group + 1]; i++) {
            uint64_t value = hash[i];
            value ^= value >> 16;
            value = (value * 0x85EBCA6BULL) & 0xFFFFFFFFULL;
            value ^= value >> 13;
            value = (value * 0xC2B2AE35ULL) & 0xFFFFFFFFULL;
            value ^= value >> 16;
            /* (a * value + b) mod 2^32 needs only the low 32 bits of each term: uint32 arithmetic, which vectorises */
            uint32_t low = (uint32_t)value;
            for (Py_ssize_t p = 0; p < perms; p++) {
                uint32_t permuted = mult[p] * low + add[p];
                row[p] = permuted < row[p] ? permuted : row[p];
            }
        }
    }
    result = Py_NewRef(Py_None);
done:
    release_all(views, 5);
    return result;
}

static PyObject *sorted_intersections(PyObject *Py_UNUSED(self), PyObject *args) {
    static const BufferSpec specs[5] = {{4, 0, "hashes"}, {8, 0, "bounds"}, {8, 0, "left"}, {8, 0, "right"},
                                        {8, 1, "out"}};
    Py_buffer views[5] = {{0}};
    PyObject *result = NULL;
    if (five_buffers(args, "OOOOO:sorted_intersections", specs, views) < 0) goto done;
    Py_ssize_t pairs = views[2].len / 8, groups = views[1].len / 8 - 1, count = views[0].len / 4;
    const uint32_t *hash = views[0].buf;
    const int64_t *bound = views[1].buf, *lefts = views[2].buf, *rights = views[3].buf;
    int64_t *common = views[4].buf;
    if (views[3].len != views[2].len || views[4].len != views[2].len) {
        PyErr_SetString(PyExc_ValueError, "sorted_intersections: inconsistent arrays");
        goto done;
    }
    for (Py_ssize_t g = 0; g <= groups; g++) { /* the bounds ascend from 0 to at most count: groups lie in hash */
        if (bound[g] < (g ? bound[g - 1] : 0) || bound[g] > count) {
            PyErr_SetString(PyExc_ValueError, "sorted_intersections: bounds out of order or range");
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < pairs; k++) {
        int64_t l = lefts[k], r = rights[k];
        if (l < 0 || r < 0 || l >= groups || r >= groups) {
            PyErr_SetString(PyExc_ValueError, "sorted_intersections: index out of range");
            goto done;
        }
        common[k] = common_sorted(hash + bound[l], bound[l + 1] - bound[l], hash + bound[r], bound[r + 1] - bound[r]);
    }
    result = Py_NewRef(Py_None);
done:
    release_all(views, 5);
    return result;
}

/* normalize_scan(text, flags, contexts, clues, entities, form) -> (spans, lines, suspect, recheck)
 *
 *   The document scan of normalisation in one pass (textclean/_normalize_scan.py builds the tables; split_pieces
 *   and find_suspect_lines in textclean/_normalize_lines.py are the reference). text is split at the terminators of
 *   split_lines: "\r\n", "\n", "\r", "\v", "\f", U+2028, U+2029 (a final one starts no line). Per line:
 *
 *     spans    its (start, end) in text
 *     lines    the line right-stripped as str.rstrip() strips (Py_UNICODE_ISSPACE)
 *     suspect  its number (ascending) if it holds a character flagged NORM_SUSPECT; or a clue (NORM_CLUE) beside a
 *              neighbour of its context: the neighbour before is in one of the clue's before sets, or the one after
 *              in one of its after sets; or, with entities, a reference ENTITY_RE (textclean/_normalize_steps.py)
 *              matches: "&#" 1-10 digits ";", "&#x" (or X) 1-8 hex digits ";", "&" a letter, 1-31 letters or digits, ";"
 *     recheck  with form, its number if it holds a character that may keep a text from being in the normal form
 *              (NORM_FORM, or any beyond the BMP): the caller asks unicodedata about those lines
 *
 *   flags holds a uint8 per BMP code point (NORM_*), contexts a uint64 per BMP code point (a clue's number in bits
 *   0-7; bit 8 + k: in before set k; bit 32 + k: in after set k) and clues a uint64 per clue number (256): the
 *   before and after sets of that clue, as those bits. Nothing beyond the BMP is suspect, a clue or in a context
 *   (the caller's tables are built so). Runs of ASCII without controls, "&" or DEL are skipped a word at a time.
 */
#define NORM_SUSPECT 1u
#define NORM_CLUE 2u
#define NORM_FORM 4u
#define NORM_BEFORE_BITS 0x00000000FFFFFF00ULL
#define NORM_AFTER_BITS 0x00FFFFFF00000000ULL

#if defined(__SSE2__)
#include <emmintrin.h>
#define NORM_WORD 16 /* bytes looked at at once: SSE2 */
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NORM_WORD 8 /* a uint64 of little-endian lanes */
#else
#define NORM_WORD 0 /* no skipping: one unit at a time */
#endif

static inline int norm_digit(Py_UCS4 ch) { return ch >= '0' && ch <= '9'; }
static inline int norm_hex(Py_UCS4 ch) { return norm_digit(ch) || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f'); }

/* Whether ENTITY_RE matches at the "&" text[at] of a text ending at end. The runs are taken whole: a shorter one is
   followed by another character of its class, never by ";". */
static ALWAYS_INLINE int norm_entity_at(int kind, const void *data, Py_ssize_t at, Py_ssize_t end) {
    Py_ssize_t i = at + 1, first, most;
    if (i >= end) return 0;
    Py_UCS4 ch = unit_at(kind, data, i);
    if (ch == '#') {
        if (++i < end && (unit_at(kind, data, i) | 0x20) == 'x') {
            first = ++i, most = 8;
            while (i < end && norm_hex(unit_at(kind, data, i))) i++;
        } else {
            first = i, most = 10;
            while (i < end && norm_digit(unit_at(kind, data, i))) i++;
        }
    } else if (is_ascii_letter(ch)) {
        first = ++i, most = 31;
        while (i < end && (is_ascii_letter(unit_at(kind, data, i)) || norm_digit(unit_at(kind, data, i)))) i++;
    } else {
        return 0;
    }
    return i > first && i - first <= most && i < end && unit_at(kind, data, i) == ';';
}

#if NORM_WORD
/* The bytes of the NORM_WORD bytes at text[i] (1 or 2 per UCS1 or UCS2 unit) that belong to a unit that may need a
   look: beyond ASCII, below 0x20 (controls, terminators), "&" or DEL; 0 when none does. The lowest set bit always
   belongs to such a unit (in the uint64 form, borrows run upwards only). */
static ALWAYS_INLINE uint64_t norm_special(int kind, const void *data, Py_ssize_t i) {
#if NORM_WORD == 16
    __m128i x = _mm_loadu_si128((const __m128i *)((const char *)data + i * kind)), looks;
    if (kind == PyUnicode_1BYTE_KIND) /* signed: 0x80-0xFF are below 0x20; only DEL is above 0x7E */
        looks = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpgt_epi8(x, _mm_set1_epi8(0x7e))),
                             _mm_cmpeq_epi8(x, _mm_set1_epi8('&')));
    else /* signed: 0x8000-0xFFFF are below 0x20, 0x7F-0x7FFF above 0x7E */
        looks = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi16(x, _mm_set1_epi16(0x20)), _mm_cmpgt_epi16(x, _mm_set1_epi16(0x7e))),
                             _mm_cmpeq_epi16(x, _mm_set1_epi16('&')));
    return (uint64_t)(unsigned)_mm_movemask_epi8(looks);
#else
    uint64_t x, ones, high;
    memcpy(&x, (const char *)data + i * kind, sizeof x);
    if (kind == PyUnicode_1BYTE_KIND) ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    else ones = 0x0001000100010001ULL, high = 0x8000800080008000ULL;
    uint64_t amp = x ^ (ones * '&'), del = x ^ (ones * 0x7f);
    uint64_t below = (x - ones * 0x20) & ~x, zero_amp = (amp - ones) & ~amp, zero_del = (del - ones) & ~del;
    uint64_t beyond = kind == PyUnicode_1BYTE_KIND ? x & high : x & 0xFF80FF80FF80FF80ULL;
    return ((below | zero_amp | zero_del) & high) | beyond;
#endif
}

/* The byte of the lowest set bit of a norm_special mask. */
static ALWAYS_INLINE Py_ssize_t norm_first_byte(uint64_t special) {
    return NORM_WORD == 16 ? __builtin_ctzll(special) : __builtin_ctzll(special) / 8;
}
#endif

static ALWAYS_INLINE uint64_t norm_context_of(const uint64_t *contexts, Py_UCS4 ch) {
    return ch < BMP ? contexts[ch] : 0;
}

typedef struct {
    PyObject *spans, *lines, *suspect, *recheck;
} NormScan;

/* text[start:end] as a str, given `wide`: the OR of its characters beyond ASCII (0 for none). */
static PyObject *norm_substring(PyObject *text, int kind, const void *data, Py_ssize_t start, Py_ssize_t end,
                                Py_UCS4 wide) {
    if (kind != PyUnicode_2BYTE_KIND || wide >= 256 || end - start < 2) return PyUnicode_Substring(text, start, end);
    PyObject *line = PyUnicode_New(end - start, wide ? 255 : 127); /* narrowed: the kind its characters need */
    if (!line) return NULL;
    const Py_UCS2 *from = (const Py_UCS2 *)data + start;
    Py_UCS1 *to = PyUnicode_1BYTE_DATA(line);
    for (Py_ssize_t k = 0; k < end - start; k++) to[k] = (Py_UCS1)from[k];
    return line;
}

/* Append line number `row` at [start, end) of text to the outputs. */
static int norm_emit(NormScan *out, PyObject *text, int kind, const void *data, Py_ssize_t row, Py_ssize_t start,
                     Py_ssize_t end, Py_UCS4 wide, int suspect, int recheck) {
    Py_ssize_t stripped = end;
    while (stripped > start && Py_UNICODE_ISSPACE(unit_at(kind, data, stripped - 1))) {
        if (unit_at(kind, data, --stripped) >= 128) wide = 256; /* a wide space went: let CPython measure the rest */
    }
    PyObject *span = PyTuple_New(2), *bound;
    if (!span) return -1;
    for (int k = 0; k < 2; k++) {
        if (!(bound = PyLong_FromSsize_t(k ? end : start))) {
            Py_DECREF(span);
            return -1;
        }
        PyTuple_SET_ITEM(span, k, bound);
    }
    PyObject_GC_UnTrack(span); /* two ints make no cycle: spare the collector (CPython would untrack it later) */
    int failed = PyList_Append(out->spans, span);
    Py_DECREF(span);
    if (failed) return -1;
    PyObject *line = norm_substring(text, kind, data, start, stripped, wide);
    if (!line) return -1;
    failed = PyList_Append(out->lines, line);
    Py_DECREF(line);
    if (failed) return -1;
    if (suspect || recheck) {
        PyObject *number = PyLong_FromSsize_t(row);
        if (!number) return -1;
        failed = (suspect && PyList_Append(out->suspect, number)) || (recheck && PyList_Append(out->recheck, number));
        Py_DECREF(number);
        if (failed) return -1;
    }
    return 0;
}

static ALWAYS_INLINE int norm_scan_text(int kind, PyObject *text, const uint8_t *flags, const uint64_t *contexts,
                                        const uint64_t *clues, int entities, int form, NormScan *out) {
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = 0, row = 0, i = 0, looked = 0;
    int suspect = 0, recheck = 0;
    Py_UCS4 wide = 0;
    while (i < n) {
#if NORM_WORD
        if (kind != PyUnicode_4BYTE_KIND && i >= looked && i + NORM_WORD / kind <= n) {
            uint64_t special = norm_special(kind, data, i);
            if (!special) {
                i += NORM_WORD / kind;
                continue;
            }
            i += norm_first_byte(special) / kind; /* the first unit to look at */
            looked = i + 1;
        }
#else
        (void)looked;
#endif
        Py_UCS4 ch = unit_at(kind, data, i);
        Py_ssize_t width = 0; /* of a terminator */
        if (ch < 128) {
            if (ch >= 0x20 && ch != '&' && ch != 0x7f) {
                i++;
                continue;
            }
            if (ch == '\n' || ch == '\x0b' || ch == '\x0c') width = 1;
            else if (ch == '\r') width = i + 1 < n && unit_at(kind, data, i + 1) == '\n' ? 2 : 1;
            else if (ch == '&') suspect |= entities && !suspect && norm_entity_at(kind, data, i, n);
            else suspect |= flags[ch] & NORM_SUSPECT;
        } else if (ch < BMP) {
            if (ch == 0x2028 || ch == 0x2029) {
                width = 1;
            } else {
                unsigned flag = flags[ch];
                wide |= ch;
                recheck |= (flag & NORM_FORM) != 0;
                if (flag & NORM_SUSPECT) {
                    suspect = 1;
                } else if ((flag & NORM_CLUE) && !suspect) {
                    uint64_t own = clues[contexts[ch] & 0xFF];
                    uint64_t before = i > start ? norm_context_of(contexts, unit_at(kind, data, i - 1)) : 0;
                    uint64_t after = i + 1 < n ? norm_context_of(contexts, unit_at(kind, data, i + 1)) : 0;
                    suspect = (((before & NORM_BEFORE_BITS) | (after & NORM_AFTER_BITS)) & own) != 0;
                }
            }
        } else {
            wide |= ch;
            recheck = 1;
        }
        if (width) {
            if (norm_emit(out, text, kind, data, row++, start, i, wide, suspect, recheck && form) < 0) return -1;
            suspect = recheck = 0;
            wide = 0;
            start = i += width;
        } else {
            i++;
        }
    }
    if (start < n && norm_emit(out, text, kind, data, row, start, n, wide, suspect, recheck && form) < 0) return -1;
    return 0;
}

static PyObject *normalize_scan(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *text, *result = NULL;
    Py_buffer flags_buffer, contexts_buffer, clues_buffer;
    int entities, form;
    if (!PyArg_ParseTuple(args, "Uy*y*y*pp:normalize_scan", &text, &flags_buffer, &contexts_buffer, &clues_buffer,
                          &entities, &form))
        return NULL;
    NormScan out = {PyList_New(0), PyList_New(0), PyList_New(0), PyList_New(0)};
    if (!out.spans || !out.lines || !out.suspect || !out.recheck) goto done;
    if (flags_buffer.len != BMP || contexts_buffer.len != BMP * (Py_ssize_t)sizeof(uint64_t) ||
        clues_buffer.len != 256 * (Py_ssize_t)sizeof(uint64_t) || (uintptr_t)contexts_buffer.buf % sizeof(uint64_t) ||
        (uintptr_t)clues_buffer.buf % sizeof(uint64_t)) {
        PyErr_SetString(PyExc_ValueError, "normalize_scan needs a uint8 table of the BMP, an aligned uint64 one and 256 "
                                          "aligned uint64 clue sets");
        goto done;
    }
    const uint8_t *flags = flags_buffer.buf;
    const uint64_t *contexts = contexts_buffer.buf, *clues = clues_buffer.buf;
    int kind = PyUnicode_KIND(text), failed;
    if (kind == PyUnicode_1BYTE_KIND)
        failed = norm_scan_text(PyUnicode_1BYTE_KIND, text, flags, contexts, clues, entities, form, &out);
    else if (kind == PyUnicode_2BYTE_KIND)
        failed = norm_scan_text(PyUnicode_2BYTE_KIND, text, flags, contexts, clues, entities, form, &out);
    else
        failed = norm_scan_text(PyUnicode_4BYTE_KIND, text, flags, contexts, clues, entities, form, &out);
    if (!failed) result = PyTuple_Pack(4, out.spans, out.lines, out.suspect, out.recheck);
done:
    Py_XDECREF(out.spans);
    Py_XDECREF(out.lines);
    Py_XDECREF(out.suspect);
    Py_XDECREF(out.recheck);
    PyBuffer_Release(&flags_buffer);
    PyBuffer_Release(&contexts_buffer);
    PyBuffer_Release(&clues_buffer);
    return result;
}

/* ---- The comment detector's gates and the lexical columns (textclean/_classify_gates_native.py,
   textclean/_lexical.py). ---- */

/* lexical_columns: the lexical features of chosen rows of pages of a token table (textclean/_lexical.py; its
   _lexical_columns is the numpy reference). A page's words are numbered locally (local[j] below its count of distinct
   words), page_distinct maps them to vocabulary numbers, and flags gives per vocabulary word bit 1: a content word,
   bit 2: a content word the lexicon holds (lexical_flags). The rows of each listed page (rows[k], or all of them
   when rows is None) are the output's rows, page after page; the lines left out must have no words. A row is long
   when its words (words[i], measured) reach least. */

static int lexical_index(PyObject *item, int64_t below, int64_t *value) {
    Py_ssize_t number = PyLong_AsSsize_t(item);
    if (number == -1 && PyErr_Occurred()) return -1;
    if (number < 0 || number >= below) {
        PyErr_SetString(PyExc_ValueError, "lexical_columns: a page or row number out of range");
        return -1;
    }
    *value = number;
    return 0;
}

/* One page's rows. Per local word, one int64: its flags (2 bits), above them 2 + the one long row holding it, or
   2 + -1 (none), or 2 + -2 (two or more): a content word is "elsewhere" on row i when a long row other than i holds
   it, whatever row that is. */
static int lexical_page(const int32_t *local, const int64_t *line_starts, const int64_t *lines, int64_t count,
                        const int32_t *distinct, int64_t size, const unsigned char *flags, Py_ssize_t n_flags,
                        const double *words, double least, double *out, int64_t *state) {
    for (int64_t w = 0; w < size; w++) {
        if (distinct[w] < 0 || distinct[w] >= n_flags) {
            PyErr_SetString(PyExc_ValueError, "lexical_columns: a vocabulary number out of range");
            return -1;
        }
        unsigned char f = flags[distinct[w]];
        state[w] = (f & 1 ? f & 3 : 0) | (1 << 2); /* the lexicon bit counts on content words; no long row yet */
    }
    for (int64_t i = 0; i < count; i++) { /* the long rows */
        if (!(words[i] >= least)) continue;
        int64_t begin = line_starts[lines[i]], end = line_starts[lines[i] + 1];
        for (int64_t j = begin; j < end; j++) { /* masks, not branches: content or not is a coin toss */
            if (local[j] < 0 || local[j] >= size) goto out_of_range;
            int64_t s = state[local[j]], row = (s >> 2) - 2;
            int64_t alone = -(int64_t)((row == -1) | (row == i)), content = -(s & 1);
            row = (i & alone) | (-2 & ~alone);
            state[local[j]] = (((s & 3) | ((row + 2) << 2)) & content) | (s & ~content);
        }
    }
    for (int64_t i = 0; i < count; i++) {
        int64_t content = 0, chrome = 0, elsewhere = 0;
        int64_t begin = line_starts[lines[i]], end = line_starts[lines[i] + 1];
        for (int64_t j = begin; j < end; j++) {
            if (local[j] < 0 || local[j] >= size) goto out_of_range;
            int64_t s = state[local[j]], row = (s >> 2) - 2;
            content += s & 1;
            chrome += s >> 1 & 1;
            elsewhere += (s & 1) & (row != -1) & (row != i);
        }
        out[3 * i] = (double)elsewhere / (double)(content > 1 ? content : 1);
        out[3 * i + 1] = (double)chrome / (double)(end - begin > 1 ? end - begin : 1);
        out[3 * i + 2] = log1p((double)chrome); /* math.log1p: the C library's */
    }
    return 0;
out_of_range:
    PyErr_SetString(PyExc_ValueError, "lexical_columns: a word number out of range");
    return -1;
}

static PyObject *lexical_columns(PyObject *Py_UNUSED(self), PyObject *args) {
    static const BufferSpec specs[8] = {{4, 0, "local"},         {8, 0, "line_starts"}, {8, 0, "page_starts"},
                                        {4, 0, "page_distinct"}, {8, 0, "distinct_starts"}, {1, 0, "flags"},
                                        {8, 0, "words"},         {8, 1, "out"}};
    PyObject *objects[8], *pages, *rows;
    double least;
    Py_buffer views[8] = {{0}};
    PyObject *result = NULL;
    int64_t *lines = NULL, *state = NULL;
    if (!PyArg_ParseTuple(args, "OOOOOOO!OOdO:lexical_columns", &objects[0], &objects[1], &objects[2], &objects[3],
                          &objects[4], &objects[5], &PyList_Type, &pages, &rows, &objects[6], &least, &objects[7]))
        return NULL;
    if (rows != Py_None && (!PyList_Check(rows) || PyList_GET_SIZE(rows) != PyList_GET_SIZE(pages))) {
        PyErr_SetString(PyExc_TypeError, "lexical_columns: rows must be None or a list of lists, one per page");
        return NULL;
    }
    if (acquire_all(objects, views, specs, 8) < 0) goto done;
    const int32_t *local = views[0].buf, *page_distinct = views[3].buf;
    const int64_t *line_starts = views[1].buf, *page_starts = views[2].buf, *distinct_starts = views[4].buf;
    const unsigned char *flags = views[5].buf;
    const double *words = views[6].buf;
    double *out = views[7].buf;
    Py_ssize_t n_local = views[0].len / 4, n_lines = views[1].len / 8 - 1, n_pages = views[2].len / 8 - 1;
    Py_ssize_t n_distinct = views[3].len / 4, n_rows = views[6].len / 8, count = PyList_GET_SIZE(pages);
    if (n_lines < 0 || n_pages < 0 || views[4].len / 8 != n_pages + 1 || views[7].len != 3 * views[6].len) {
        PyErr_SetString(PyExc_ValueError, "lexical_columns: inconsistent array sizes");
        goto done;
    }
    for (Py_ssize_t k = 0; k <= n_lines; k++) /* the tables ascend within their arrays */
        if (line_starts[k] < (k ? line_starts[k - 1] : 0) || line_starts[k] > n_local) goto bad_table;
    for (Py_ssize_t k = 0; k <= n_pages; k++)
        if (page_starts[k] < (k ? page_starts[k - 1] : 0) || page_starts[k] > n_lines ||
            distinct_starts[k] < (k ? distinct_starts[k - 1] : 0) || distinct_starts[k] > n_distinct)
            goto bad_table;
    int64_t widest = 1;
    for (Py_ssize_t k = 0; k < n_pages; k++)
        if (distinct_starts[k + 1] - distinct_starts[k] > widest) widest = distinct_starts[k + 1] - distinct_starts[k];
    lines = PyMem_Malloc((size_t)(n_rows ? n_rows : 1) * sizeof(int64_t));
    state = PyMem_Malloc((size_t)widest * sizeof(int64_t));
    if (!lines || !state) {
        PyErr_NoMemory();
        goto done;
    }
    int64_t row = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        int64_t page;
        if (lexical_index(PyList_GET_ITEM(pages, k), n_pages, &page) < 0) goto done;
        int64_t low = page_starts[page], high = page_starts[page + 1], start = row;
        PyObject *chosen = rows == Py_None ? NULL : PyList_GET_ITEM(rows, k);
        if (chosen && !PyList_Check(chosen)) {
            PyErr_SetString(PyExc_TypeError, "lexical_columns: rows must be None or a list of lists, one per page");
            goto done;
        }
        int64_t size = chosen ? PyList_GET_SIZE(chosen) : high - low, held = 0;
        if (size > n_rows - row) {
            PyErr_SetString(PyExc_ValueError, "lexical_columns: more rows than words measures");
            goto done;
        }
        for (int64_t r = 0; r < size; r++) {
            int64_t line = r;
            if (chosen && lexical_index(PyList_GET_ITEM(chosen, r), high - low, &line) < 0) goto done;
            lines[row++] = low + line;
            held += line_starts[low + line + 1] - line_starts[low + line];
        }
        if (held != line_starts[high] - line_starts[low]) {
            PyErr_SetString(PyExc_ValueError, "the lines left out have words");
            goto done;
        }
        if (lexical_page(local, line_starts, lines + start, size, page_distinct + distinct_starts[page],
                         distinct_starts[page + 1] - distinct_starts[page], flags, views[5].len, words + start, least,
                         out + 3 * start, state) < 0)
            goto done;
    }
    if (row != n_rows) {
        PyErr_SetString(PyExc_ValueError, "lexical_columns: fewer rows than words measures");
        goto done;
    }
    result = Py_NewRef(Py_None);
    goto done;
bad_table:
    PyErr_SetString(PyExc_ValueError, "lexical_columns: the table's starts out of order or range");
done:
    PyMem_Free(lines);
    PyMem_Free(state);
    release_all(views, 8);
    return result;
}

/* lexical_flags(words, lexicon, letters): per word (str) of a table's vocabulary, bit 1 when it is a content word
   (at least letters code points, not all digits as str.isdigit tells), bit 2 when it is one and lexicon (a set or
   frozenset of str) holds it. A word is looked up only when a lexicon word has its length and its first two and last
   two code points (a bitmap of those, built per call: hashing the vocabulary's new strings is most of the cost). */
#define LEXICAL_KEY_BITS 18
#define LEXICAL_AHEAD 32

static inline uint32_t lexical_key(int kind, const void *data, Py_ssize_t length) {
    Py_ssize_t second = length > 1 ? 1 : 0, before_last = length > 1 ? length - 2 : 0;
    uint64_t key = (uint64_t)length;
    key = (key * 1000003u) ^ PyUnicode_READ(kind, data, 0);
    key = (key * 1000003u) ^ PyUnicode_READ(kind, data, second);
    key = (key * 1000003u) ^ PyUnicode_READ(kind, data, before_last);
    key = (key * 1000003u) ^ PyUnicode_READ(kind, data, length - 1);
    return (uint32_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - LEXICAL_KEY_BITS));
}

/* The bitmap of the lexicon's keys: built per call, but kept for the last frozenset (of str only) it was built
   for, which the module then holds: the same chrome lexicon comes back for every token table. */
static PyObject *lexical_last_lexicon = NULL;
static uint64_t *lexical_last_bitmap = NULL;

static uint64_t *lexical_bitmap(PyObject *lexicon) {
    if (lexicon == lexical_last_lexicon) return lexical_last_bitmap;
    uint64_t *bitmap = PyMem_Calloc(1 << (LEXICAL_KEY_BITS - 6), sizeof(uint64_t));
    PyObject *item, *items = PyObject_GetIter(lexicon);
    int all_str = 1;
    if (!bitmap || !items) {
        if (!bitmap) PyErr_NoMemory();
        goto failed;
    }
    while ((item = PyIter_Next(items))) {
        if (!PyUnicode_CheckExact(item)) { /* another object may equal a str: look every content word up */
            memset(bitmap, 0xFF, (1 << (LEXICAL_KEY_BITS - 6)) * sizeof(uint64_t));
            all_str = 0;
        } else if (PyUnicode_GET_LENGTH(item)) {
            uint32_t key = lexical_key(PyUnicode_KIND(item), PyUnicode_DATA(item), PyUnicode_GET_LENGTH(item));
            bitmap[key >> 6] |= 1ULL << (key & 63);
        }
        Py_DECREF(item);
    }
    if (PyErr_Occurred()) goto failed;
    Py_DECREF(items);
    if (PyFrozenSet_CheckExact(lexicon) && all_str) { /* immutable, and its items too: kept */
        PyMem_Free(lexical_last_bitmap);
        Py_XSETREF(lexical_last_lexicon, Py_NewRef(lexicon));
        lexical_last_bitmap = bitmap;
    }
    return bitmap;
failed:
    Py_XDECREF(items);
    PyMem_Free(bitmap);
    return NULL;
}

static PyObject *lexical_flags(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *words, *lexicon;
    Py_ssize_t letters;
    if (!PyArg_ParseTuple(args, "O!On:lexical_flags", &PyList_Type, &words, &lexicon, &letters)) return NULL;
    if (!PyAnySet_Check(lexicon)) {
        PyErr_SetString(PyExc_TypeError, "lexical_flags: lexicon must be a set or a frozenset");
        return NULL;
    }
    PyObject *result = NULL;
    uint64_t *bitmap = lexical_bitmap(lexicon);
    if (!bitmap) return NULL;
    Py_ssize_t count = PyList_GET_SIZE(words);
    result = PyBytes_FromStringAndSize(NULL, count);
    if (!result) goto done;
    unsigned char *flag_of = (unsigned char *)PyBytes_AS_STRING(result);
    for (Py_ssize_t k = 0; k < count; k++) {
        if (k + LEXICAL_AHEAD < count) /* the words lie apart in memory, and long since written: fetch ahead */
            PREFETCH(PyList_GET_ITEM(words, k + LEXICAL_AHEAD));
        PyObject *word = PyList_GET_ITEM(words, k);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "lexical_flags: words must be str");
            Py_CLEAR(result);
            goto done;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(word);
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        int digits = length >= letters && length > 0; /* only a word long enough can be a content word */
        for (Py_ssize_t i = 0; i < length && digits; i++) digits = Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i));
        unsigned char flag = 0;
        if (length >= letters && !digits) {
            flag = 1;
            uint32_t key = lexical_key(kind, data, length);
            if (!PyUnicode_CheckExact(word) || bitmap[key >> 6] >> (key & 63) & 1) {
                int held = PySet_Contains(lexicon, word);
                if (held < 0) {
                    Py_CLEAR(result);
                    goto done;
                }
                flag |= (unsigned char)(held << 1);
            }
        }
        flag_of[k] = flag;
    }
done:
    if (bitmap != lexical_last_bitmap) PyMem_Free(bitmap);
    return result;
}

/* The comment detector's gates (textclean/_classify_gates_native.py; the Python references are
   StartTable.masks_of, _rows_with and WordGate.masks over _lowered lines in textclean/_classify_comments_batch.py).

   gate_words(needles, bits, always, twins) -> capsule: the word gates of up to 64 patterns, an Aho-Corasick
   automaton over the needles (non-empty str without "\n", as _lowered gives them) whose every state carries the
   mask of the needles ending there or on its failure chain. A line is lowered as it is scanned: each code point
   through the simple lowercase mapping (the full one, str.lower, differs only for U+0130, whose simple lowercase
   is the "i" _lowered puts there, and for the final sigma, which the case twins fold away), then through the case
   twins (twins: pairs of code points, each mapped to the second of its pair). Its symbols are looked up in a table
   of the BMP filled as code points are met.

   word_masks(gate, text, starts, sizes) -> bytes: per row (text[starts[i]:starts[i] + sizes[i]], int64 buffers),
   the uint64 mask always | the bits of the needles its lowered text holds.

   start_masks(text, bits, starts, sizes, letter, classes, keys, masks, char_sets) -> bytes: per row, the uint64
   mask of the patterns whose first-letter gate or character gate it passes. Its first letter is its first code
   point whose class bits (bits: uint16 per code point of text) hold letter; from there up to four code points are
   numbered by classes (uint8 per BMP code point; 0, or a code point beyond the BMP, ends them) and packed one byte
   each, and every packed prefix is looked up in keys (int64, each one to four non-zero bytes) for its mask (uint64,
   same order; a key listed twice: the union). char_sets:
   (mask, str) pairs: a row holding a character of the str gets the mask. */

#define GATE_UNKNOWN 0xFFFFFFFFu
#define GATE_AHEAD 16 /* rows fetched ahead */

typedef struct {
    Automaton a;
    uint64_t *bits;    /* per state: the needles ending there or on its failure chain */
    uint32_t *symbols; /* per BMP code point: the symbol of its lowered, folded form, or GATE_UNKNOWN (not met) */
    Py_UCS4 *twins;    /* pairs (from, to) */
    Py_ssize_t n_twins;
    uint64_t always;
} WordGates;

static void gate_words_free(PyObject *capsule) {
    WordGates *g = PyCapsule_GetPointer(capsule, "textclean.gate_words");
    if (!g) return;
    automaton_free(&g->a);
    PyMem_Free(g->bits);
    PyMem_Free(g->symbols);
    PyMem_Free(g->twins);
    PyMem_Free(g);
}

static Py_ssize_t gate_symbol_of(const WordGates *g, Py_UCS4 ch) {
    Py_UCS4 lowered = ch == 0x130 ? 'i' : Py_UNICODE_TOLOWER(ch);
    for (Py_ssize_t k = 0; k < g->n_twins; k++)
        if (g->twins[2 * k] == lowered) {
            lowered = g->twins[2 * k + 1];
            break;
        }
    return symbol_of(&g->a, lowered);
}

static ALWAYS_INLINE Py_ssize_t gate_symbol(WordGates *g, Py_UCS4 ch) {
    if (ch >= 0x10000) return gate_symbol_of(g, ch);
    uint32_t symbol = g->symbols[ch];
    if (symbol == GATE_UNKNOWN) symbol = g->symbols[ch] = (uint32_t)gate_symbol_of(g, ch);
    return symbol;
}

static PyObject *gate_words(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *needles, *bits, *twins;
    unsigned long long always;
    if (!PyArg_ParseTuple(args, "O!O!KU:gate_words", &PyList_Type, &needles, &PyList_Type, &bits, &always, &twins))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(needles);
    if (PyList_GET_SIZE(bits) != count || PyUnicode_GET_LENGTH(twins) % 2) {
        PyErr_SetString(PyExc_ValueError, "gate_words: one mask per needle, and twins in pairs");
        return NULL;
    }
    if (check_needles(needles, "gate_words") < 0) return NULL;
    WordGates *g = PyMem_Calloc(1, sizeof(WordGates));
    if (!g) return PyErr_NoMemory();
    PyObject *capsule = NULL;
    g->always = always;
    if (automaton_build(&g->a, needles, count) < 0) goto failed;
    Py_ssize_t width = g->a.symbols + 1;
    g->bits = PyMem_Calloc((size_t)g->a.states, sizeof(uint64_t));
    g->symbols = PyMem_Malloc(0x10000 * sizeof(uint32_t));
    g->n_twins = PyUnicode_GET_LENGTH(twins) / 2;
    g->twins = PyMem_Malloc((size_t)(2 * g->n_twins + 1) * sizeof(Py_UCS4));
    uint64_t *own = PyMem_Calloc((size_t)g->a.states, sizeof(uint64_t));
    if (!g->bits || !g->symbols || !g->twins || !own) {
        PyMem_Free(own);
        PyErr_NoMemory();
        goto failed;
    }
    memset(g->symbols, 0xFF, 0x10000 * sizeof(uint32_t));
    for (Py_ssize_t k = 0; k < 2 * g->n_twins; k++) g->twins[k] = PyUnicode_READ_CHAR(twins, k);
    for (Py_ssize_t k = 0; k < count; k++) {
        unsigned long long mask = PyLong_AsUnsignedLongLong(PyList_GET_ITEM(bits, k));
        if (mask == (unsigned long long)-1 && PyErr_Occurred()) {
            PyMem_Free(own);
            goto failed;
        }
        PyObject *needle = PyList_GET_ITEM(needles, k);
        int32_t state = 0;
        for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(needle); i++)
            state = g->a.move[state * width + symbol_of(&g->a, PyUnicode_READ_CHAR(needle, i))];
        own[state] |= mask;
    }
    for (Py_ssize_t state = 0; state < g->a.states; state++) {
        uint64_t mask = own[state];
        for (int32_t at = g->a.output[state]; at; at = g->a.output[at]) mask |= own[at];
        g->bits[state] = mask;
    }
    PyMem_Free(own);
    capsule = PyCapsule_New(g, "textclean.gate_words", gate_words_free);
    if (capsule) return capsule;
failed:
    automaton_free(&g->a);
    PyMem_Free(g->bits);
    PyMem_Free(g->symbols);
    PyMem_Free(g->twins);
    PyMem_Free(g);
    return NULL;
}

/* The rows of text (starts, sizes: int64 buffers) checked to lie in it: their count, or -1. */
static Py_ssize_t gate_rows(PyObject *text, Py_buffer *starts, Py_buffer *sizes, const char *name) {
    Py_ssize_t rows = starts->len / 8, n = PyUnicode_GET_LENGTH(text);
    const int64_t *start = starts->buf, *size = sizes->buf;
    if (sizes->len != starts->len) {
        PyErr_Format(PyExc_ValueError, "%s: one size per start", name);
        return -1;
    }
    for (Py_ssize_t i = 0; i < rows; i++)
        if (start[i] < 0 || size[i] < 0 || start[i] > n || size[i] > n - start[i]) {
            PyErr_Format(PyExc_ValueError, "%s: a row out of the text", name);
            return -1;
        }
    return rows;
}

static PyObject *word_masks(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *capsule, *text, *objects[2], *result = NULL;
    static const BufferSpec specs[2] = {{8, 0, "starts"}, {8, 0, "sizes"}};
    Py_buffer views[2] = {{0}};
    if (!PyArg_ParseTuple(args, "OUOO:word_masks", &capsule, &text, &objects[0], &objects[1])) return NULL;
    WordGates *g = PyCapsule_GetPointer(capsule, "textclean.gate_words");
    if (!g || acquire_all(objects, views, specs, 2) < 0) goto done;
    Py_ssize_t rows = gate_rows(text, &views[0], &views[1], "word_masks");
    if (rows < 0) goto done;
    result = PyBytes_FromStringAndSize(NULL, rows * (Py_ssize_t)sizeof(uint64_t));
    if (!result) goto done;
    uint64_t *out = (uint64_t *)PyBytes_AS_STRING(result);
    const int64_t *start = views[0].buf, *size = views[1].buf;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t width = g->a.symbols + 1;
    int32_t low[128]; /* ASCII, lowered */
    for (Py_UCS4 ch = 0; ch < 128; ch++) low[ch] = (int32_t)gate_symbol(g, ch);
    for (Py_ssize_t i = 0; i < rows; i++) {
        uint64_t mask = g->always;
        int32_t state = 0;
        for (Py_ssize_t j = start[i]; j < start[i] + size[i]; j++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, j);
            state = g->a.move[state * width + (ch < 128 ? low[ch] : gate_symbol(g, ch))];
            mask |= g->bits[state];
        }
        out[i] = mask;
    }
done:
    release_all(views, 2);
    return result;
}

/* The packed gate strings and every prefix of them (one byte per code point's number, at most four, none 0) in an
   open-addressing table: a prefix's mask (of the gate strings equal to it) and whether longer ones begin with it. */
typedef struct {
    uint32_t key, more; /* key 0: an empty slot */
    uint64_t mask;
} GatePrefix;

typedef struct {
    GatePrefix *slots;
    uint32_t shift; /* 32 - log2(slots) */
    uint32_t spread;
} GatePrefixes;

static ALWAYS_INLINE const GatePrefix *gate_prefix(const GatePrefixes *t, uint32_t key) {
    for (uint32_t at = (key * 0x9E3779B1u) >> t->shift;; at = (at + 1) & t->spread) {
        const GatePrefix *slot = &t->slots[at];
        if (slot->key == key) return slot;
        if (!slot->key) return NULL;
    }
}

static int gate_prefixes_build(GatePrefixes *t, const int64_t *keys, const uint64_t *masks, Py_ssize_t count) {
    uint32_t bits = 4;
    while (bits < 30 && ((Py_ssize_t)1 << bits) < 8 * (count + 1)) bits++; /* at most half full */
    t->shift = 32 - bits;
    t->spread = (1u << bits) - 1;
    t->slots = PyMem_Calloc((size_t)1 << bits, sizeof(GatePrefix));
    if (!t->slots) return PyErr_NoMemory(), -1;
    for (Py_ssize_t k = 0; k < count; k++) {
        int length = 0;
        while (length < 4 && keys[k] >> (8 * length) & 0xFF) length++;
        if (keys[k] <= 0 || keys[k] >> (8 * length)) {
            PyErr_SetString(PyExc_ValueError, "start_masks: a key must be one to four non-zero bytes");
            return -1;
        }
        for (int used = 1; used <= length; used++) {
            uint32_t prefix = (uint32_t)(keys[k] & (((int64_t)1 << (8 * used)) - 1));
            uint32_t at = (prefix * 0x9E3779B1u) >> t->shift;
            while (t->slots[at].key && t->slots[at].key != prefix) at = (at + 1) & t->spread;
            GatePrefix *slot = &t->slots[at];
            slot->key = prefix;
            slot->more |= used < length;
            if (used == length) slot->mask |= masks[k];
        }
    }
    return 0;
}

static PyObject *start_masks(PyObject *Py_UNUSED(self), PyObject *args) {
    static const BufferSpec specs[6] = {{2, 0, "bits"},    {8, 0, "starts"}, {8, 0, "sizes"}, {1, 0, "classes"},
                                        {8, 0, "keys"},    {8, 0, "masks"}};
    PyObject *text, *objects[6], *char_sets, *result = NULL;
    unsigned int letter;
    GatePrefixes prefixes = {0};
    Py_buffer views[6] = {{0}};
    if (!PyArg_ParseTuple(args, "UOOOIOOOO!:start_masks", &text, &objects[0], &objects[1], &objects[2], &letter,
                          &objects[3], &objects[4], &objects[5], &PyList_Type, &char_sets))
        return NULL;
    if (acquire_all(objects, views, specs, 6) < 0) goto done;
    Py_ssize_t rows = gate_rows(text, &views[1], &views[2], "start_masks"), n_keys = views[4].len / 8;
    if (rows < 0) goto done;
    if (views[0].len / 2 != PyUnicode_GET_LENGTH(text) || views[3].len != 0x10000 || views[5].len != views[4].len) {
        PyErr_SetString(PyExc_ValueError, "start_masks: bits, classes or masks of the wrong size");
        goto done;
    }
    const uint16_t *bits = views[0].buf;
    const int64_t *start = views[1].buf, *size = views[2].buf, *keys = views[4].buf;
    const unsigned char *classes = views[3].buf;
    const uint64_t *key_masks = views[5].buf;
    if (gate_prefixes_build(&prefixes, keys, key_masks, n_keys) < 0) goto done;
    Py_ssize_t n_sets = PyList_GET_SIZE(char_sets);
    for (Py_ssize_t k = 0; k < n_sets; k++) {
        PyObject *pair = PyList_GET_ITEM(char_sets, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyLong_Check(PyTuple_GET_ITEM(pair, 0)) ||
            !PyUnicode_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_SetString(PyExc_TypeError, "start_masks: char_sets must be (mask, str) pairs");
            goto done;
        }
    }
    result = PyBytes_FromStringAndSize(NULL, rows * (Py_ssize_t)sizeof(uint64_t));
    if (!result) goto done;
    uint64_t *out = (uint64_t *)PyBytes_AS_STRING(result);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < rows; i++) {
        if (i + GATE_AHEAD < rows) { /* the rows lie far apart in a long text: fetch a later one's start now */
            PREFETCH((const char *)data + start[i + GATE_AHEAD] * kind); /* kind: bytes per code point */
            PREFETCH(bits + start[i + GATE_AHEAD]);
        }
        uint64_t mask = 0;
        Py_ssize_t at = start[i], end = start[i] + size[i];
        for (; at < end; at++) { /* an ASCII letter is [A-Za-z], every other ASCII character [\W\d_] */
            Py_UCS4 ch = PyUnicode_READ(kind, data, at);
            if (ch < 128 ? is_ascii_letter(ch) : (bits[at] & letter) != 0) break;
        }
        uint32_t key = 0;
        for (int k = 0; k < 4 && at + k < end; k++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, at + k);
            unsigned number = ch < 0x10000 ? classes[ch] : 0;
            if (!number) break;
            key |= (uint32_t)number << (8 * k);
            const GatePrefix *entry = gate_prefix(&prefixes, key);
            if (!entry) break; /* no gate string begins so */
            mask |= entry->mask;
            if (!entry->more) break;
        }
        out[i] = mask;
    }
    int ascending = 1; /* rows in order, apart: each character is found with PyUnicode_FindChar (memchr) */
    for (Py_ssize_t i = 1; i < rows && ascending; i++) ascending = start[i] >= start[i - 1] + size[i - 1];
    for (Py_ssize_t k = 0; k < n_sets && rows; k++) { /* the character gates */
        PyObject *pair = PyList_GET_ITEM(char_sets, k), *chars = PyTuple_GET_ITEM(pair, 1);
        unsigned long long bit = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(pair, 0));
        if (bit == (unsigned long long)-1 && PyErr_Occurred()) {
            Py_CLEAR(result);
            goto done;
        }
        for (Py_ssize_t c = 0; c < PyUnicode_GET_LENGTH(chars); c++) {
            Py_UCS4 ch = PyUnicode_READ_CHAR(chars, c);
            if (!ascending) {
                for (Py_ssize_t i = 0; i < rows; i++)
                    if (size[i] && PyUnicode_FindChar(text, ch, start[i], start[i] + size[i], 1) >= 0) out[i] |= bit;
                continue;
            }
            Py_ssize_t at = start[0], end = start[rows - 1] + size[rows - 1], row = 0;
            while (at < end && (at = PyUnicode_FindChar(text, ch, at, end, 1)) >= 0) {
                while (row < rows && start[row] + size[row] <= at) row++; /* the row ending after it */
                if (row == rows) break;
                if (start[row] <= at) { /* in the row, not between two */
                    out[row] |= bit;
                    at = start[row] + size[row];
                } else {
                    at = start[row];
                }
            }
            if (at == -2) {
                Py_CLEAR(result);
                goto done;
            }
        }
    }
done:
    PyMem_Free(prefixes.slots);
    release_all(views, 6);
    return result;
}

/* ---- end of the comment gates and lexical columns ---- */

/* ---- paragraph repeats (textclean/_paragraphs.py): the kept rows, their exact copies, the near-copy candidates ---- */

/* One key of a page's exact-copy table: a kept paragraph's word numbers, or its stripped text when it has no
   words. The hash only picks the slot: a paragraph is a copy when its key equals the slot's key exactly. */
typedef struct {
    uint64_t hash;
    int64_t position; /* the kept position of the first paragraph with this key */
    Py_ssize_t page;  /* the page (+ 1) whose key the slot holds: a slot of another page is empty */
    Py_ssize_t first, last; /* its words (word keys) or its stripped characters (text keys) */
    PyObject *line;         /* its line (text keys; borrowed from the page's list, which the caller holds) */
} RepeatSlot;

static inline uint64_t repeat_step(uint64_t hash, uint64_t value) {
    hash = (hash ^ value) * 0x9E3779B97F4A7C15ULL;
    return hash ^ (hash >> 29);
}

/* The stripped range of line (str.strip: Py_UNICODE_ISSPACE at either end). */
static void repeat_strip(PyObject *line, Py_ssize_t *first, Py_ssize_t *last) {
    int kind = PyUnicode_KIND(line);
    const void *data = PyUnicode_DATA(line);
    Py_ssize_t start = 0, end = PyUnicode_GET_LENGTH(line);
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) start++;
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) end--;
    *first = start;
    *last = end;
}

static int repeat_same_text(PyObject *a, Py_ssize_t a_first, PyObject *b, Py_ssize_t b_first, Py_ssize_t length) {
    int a_kind = PyUnicode_KIND(a), b_kind = PyUnicode_KIND(b);
    const void *a_data = PyUnicode_DATA(a), *b_data = PyUnicode_DATA(b);
    for (Py_ssize_t i = 0; i < length; i++)
        if (PyUnicode_READ(a_kind, a_data, a_first + i) != PyUnicode_READ(b_kind, b_data, b_first + i)) return 0;
    return 1;
}

/* The page's buffer `object` of itemsize items, or 0 when it is no C-contiguous buffer of them (the caller then
   falls back to the reference); -1 on another error. */
static int repeat_buffer(PyObject *object, Py_buffer *view, Py_ssize_t itemsize) {
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_BufferError) && !PyErr_ExceptionMatches(PyExc_TypeError) &&
            !PyErr_ExceptionMatches(PyExc_ValueError)) /* numpy: "ndarray is not C-contiguous" */
            return -1;
        PyErr_Clear();
        view->obj = NULL;
        return 0;
    }
    if (view->itemsize != itemsize) {
        PyBuffer_Release(view);
        view->obj = NULL;
        return 0;
    }
    return 1;
}

static PyObject *paragraph_rows(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *pages, *verdict_type;
    Py_ssize_t vocabulary, min_words;
    if (!PyArg_ParseTuple(args, "O!O!nn:paragraph_rows", &PyList_Type, &pages, &PyType_Type, &verdict_type,
                          &vocabulary, &min_words))
        return NULL;
    if (vocabulary < 0 || min_words < 0 || vocabulary > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "paragraph_rows: vocabulary must lie in 0..2**31 - 1 and min_words be at least 0");
        return NULL;
    }
    static PyObject *keep_name = NULL;
    if (!keep_name && !(keep_name = PyUnicode_InternFromString("keep"))) return NULL;
    /* Reading keep must run no Python code (which could change the lists read here): a plain instance attribute
       (generic lookup, no class attribute or descriptor of that name), else the caller's reference path. */
    if (((PyTypeObject *)verdict_type)->tp_getattro != PyObject_GenericGetAttr ||
        _PyType_Lookup((PyTypeObject *)verdict_type, keep_name) != NULL)
        return Py_NewRef(Py_None);
    PyObject *result = NULL, *cached = NULL; /* the last verdict read (a strong reference) and its keep */
    int cached_keep = 0;
    Buffer kept = {0}, sizes = {0}, twins = {0}, chosen = {0}, owners = {0}, words = {0}, lengths = {0}, used = {0};
    RepeatSlot *slots = NULL;
    size_t capacity = 0;
    int32_t *numbers = PyMem_Calloc((size_t)(vocabulary ? vocabulary : 1), sizeof(int32_t));
    Py_buffer ids_view = {0}, starts_view = {0};
    if (!numbers) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t d = 0; d < PyList_GET_SIZE(pages); d++) {
        PyObject *page = PyList_GET_ITEM(pages, d);
        if (!PyTuple_Check(page) || PyTuple_GET_SIZE(page) != 4) {
            PyErr_SetString(PyExc_TypeError, "paragraph_rows: each page must be (lines, verdicts, ids, starts)");
            goto done;
        }
        PyObject *lines = PyTuple_GET_ITEM(page, 0), *verdicts = PyTuple_GET_ITEM(page, 1);
        if (!PyList_Check(lines) || !PyList_Check(verdicts)) goto fallback;
        int found = repeat_buffer(PyTuple_GET_ITEM(page, 2), &ids_view, 4);
        if (found == 1) found = repeat_buffer(PyTuple_GET_ITEM(page, 3), &starts_view, 8);
        if (found < 0) goto done;
        if (!found) goto fallback;
        const int32_t *ids = ids_view.buf;
        const int64_t *starts = starts_view.buf;
        Py_ssize_t rows = PyList_GET_SIZE(lines), id_count = ids_view.len / 4;
        if (PyList_GET_SIZE(verdicts) != rows || starts_view.len / 8 != rows + 1) goto fallback;
        for (Py_ssize_t r = 0; r < rows; r++) {
            if (starts[r + 1] < starts[r] || starts[r + 1] - starts[0] > id_count) {
                PyErr_SetString(PyExc_ValueError, "paragraph_rows: a page's starts must rise within its ids");
                goto done;
            }
        }
        size_t wanted = 16;
        while (wanted < 2 * (size_t)rows) wanted *= 2;
        if (wanted > capacity) {
            PyMem_Free(slots);
            slots = PyMem_Calloc(wanted, sizeof(RepeatSlot));
            if (!slots) {
                PyErr_NoMemory();
                goto done;
            }
            capacity = wanted;
        }
        int64_t position = 0;
        for (Py_ssize_t r = 0; r < rows && r < PyList_GET_SIZE(lines) && r < PyList_GET_SIZE(verdicts); r++) {
            PyObject *verdict = PyList_GET_ITEM(verdicts, r);
            if (verdict != cached) { /* runs of one verdict (the shared KEEP) are read once */
                if (Py_TYPE(verdict) != (PyTypeObject *)verdict_type) goto fallback;
                PyObject *keep = PyObject_GetAttr(verdict, keep_name);
                if (!keep) goto done;
                int is_true = keep == Py_True, is_false = keep == Py_False;
                Py_DECREF(keep);
                if (!is_true && !is_false) goto fallback;
                Py_XSETREF(cached, Py_NewRef(verdict));
                cached_keep = is_true;
            }
            if (!cached_keep) continue; /* the line is not read (False & bool(line)): fewer objects touched */
            Py_ssize_t first = (Py_ssize_t)(starts[r] - starts[0]), count = (Py_ssize_t)(starts[r + 1] - starts[r]);
            /* A line of four words or more is not read either: its words say it is not empty, and it is compared by
               them (its length matters below four words, its text without words). */
            PyObject *line = NULL;
            Py_ssize_t length = 0;
            if (count < 4) {
                line = PyList_GET_ITEM(lines, r);
                if (!PyUnicode_Check(line)) goto fallback;
                length = PyUnicode_GET_LENGTH(line);
                if (!length) continue;
            }
            int64_t twin = -1;
            if (count >= 4 || length >= 20) {
                uint64_t hash;
                Py_ssize_t low = first, high = first + count;
                if (count) {
                    hash = repeat_step(0, (uint64_t)count);
                    for (Py_ssize_t w = low; w < high; w++) hash = repeat_step(hash, (uint32_t)ids[w]);
                } else {
                    repeat_strip(line, &low, &high);
                    int kind = PyUnicode_KIND(line);
                    const void *data = PyUnicode_DATA(line);
                    hash = repeat_step(~(uint64_t)0, (uint64_t)(high - low));
                    for (Py_ssize_t i = low; i < high; i++) hash = repeat_step(hash, PyUnicode_READ(kind, data, i));
                }
                size_t slot = (size_t)(hash ^ (hash >> 32)) & (wanted - 1);
                for (;; slot = (slot + 1) & (wanted - 1)) {
                    RepeatSlot *s = &slots[slot];
                    if (s->page != d + 1) {
                        s->page = d + 1;
                        s->hash = hash;
                        s->position = position;
                        s->first = low;
                        s->last = high;
                        s->line = count ? NULL : line;
                        break;
                    }
                    if (s->hash != hash || (s->line == NULL) != (count > 0) || s->last - s->first != high - low) continue;
                    if (count ? !memcmp(ids + s->first, ids + low, (size_t)count * sizeof(int32_t))
                              : repeat_same_text(s->line, s->first, line, low, high - low)) {
                        twin = s->position;
                        break;
                    }
                }
            }
            if (push64(&kept, r) < 0 || push64(&twins, twin) < 0) goto done;
            if (min_words && twin < 0 && count >= min_words) {
                if (push64(&chosen, position) < 0 || push64(&owners, d) < 0 || push64(&lengths, count) < 0) goto done;
                for (Py_ssize_t w = first; w < first + count; w++) {
                    if (ids[w] < 0 || ids[w] >= vocabulary) {
                        PyErr_SetString(PyExc_ValueError, "paragraph_rows: a word number is outside the vocabulary");
                        goto done;
                    }
                    numbers[ids[w]] = 1;
                    if (buffer_push(&words, ids[w]) < 0) goto done;
                }
            }
            position++;
        }
        if (push64(&sizes, position) < 0) goto done;
        PyBuffer_Release(&ids_view);
        PyBuffer_Release(&starts_view);
    }
    /* The candidates' words renumbered 0, 1, ... by vocabulary order (the words in play only). */
    int32_t next = 0;
    for (Py_ssize_t v = 0; v < vocabulary; v++) {
        if (!numbers[v]) continue;
        numbers[v] = next++;
        if (push64(&used, v) < 0) goto done;
    }
    for (Py_ssize_t w = 0; w < words.size; w++) ((int32_t *)words.data)[w] = numbers[((int32_t *)words.data)[w]];
    {
        PyObject *parts[8] = {buffer_bytes(&kept, 8),    buffer_bytes(&sizes, 8),   buffer_bytes(&twins, 8),
                              buffer_bytes(&chosen, 8),  buffer_bytes(&owners, 8),  buffer_bytes(&words, 4),
                              buffer_bytes(&lengths, 8), buffer_bytes(&used, 8)};
        int ok = 1;
        for (int k = 0; k < 8; k++) ok &= parts[k] != NULL;
        if (ok)
            result = PyTuple_Pack(8, parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7]);
        for (int k = 0; k < 8; k++) Py_XDECREF(parts[k]);
    }
    goto done;
fallback:
    result = Py_NewRef(Py_None);
done:
    if (ids_view.obj) PyBuffer_Release(&ids_view);
    if (starts_view.obj) PyBuffer_Release(&starts_view);
    Py_XDECREF(cached);
    PyMem_Free(numbers);
    PyMem_Free(slots);
    PyMem_Free(kept.data);
    PyMem_Free(sizes.data);
    PyMem_Free(twins.data);
    PyMem_Free(chosen.data);
    PyMem_Free(owners.data);
    PyMem_Free(words.data);
    PyMem_Free(lengths.data);
    PyMem_Free(used.data);
    return result;
}

/* ---- end of the paragraph repeats ---- */

/* row_shapes: the measures of each row (measure_row), and the verdicts of the line shapes' rarer patterns on it
   (textclean/_lineshape_rows.py holds the reference: the patterns of textclean/_features.py themselves). Each
   verdict is the pattern's own, read from the characters and their class bits: regex's \d and \s are the class
   bits RXDIGIT and RXSPACE, its \w is LETTER or RXDIGIT or "_", its \b lies between a \w and a non-\w, and its
   IGNORECASE equates an ASCII letter with its other case and with the three code points of fold_letter alone
   (tests/test_lineshape.py checks each of these on every code point). What these cannot settle (a byline's
   Cyrillic word, or an upper-case letter beyond ASCII after it) is left UNSURE for the pattern to decide. */
enum { SHAPE_COLUMNS = ROW_COLUMNS + 5, DATE_WINDOW = 200, SURE_NO = 0, SURE_YES = 1, UNSURE = 2 };
#define NO_CHAR 0x110000u /* what a row reads past either of its ends */

/* One row of the text: its characters are text[start:stop] (the date pattern reads fewer: see date_found). */
typedef struct {
    int kind;
    const void *data;
    const uint16_t *bits;
    Py_ssize_t start, stop;
} ShapeRow;

static ALWAYS_INLINE Py_UCS4 row_char(const ShapeRow *r, Py_ssize_t i) {
    return i >= r->start && i < r->stop ? unit_at(r->kind, r->data, i) : NO_CHAR;
}

static ALWAYS_INLINE unsigned row_bits(const ShapeRow *r, Py_ssize_t i) {
    return i >= r->start && i < r->stop ? r->bits[i] : 0;
}

static ALWAYS_INLINE int row_space(const ShapeRow *r, Py_ssize_t i) { return (row_bits(r, i) & RXSPACE_BIT) != 0; }

static ALWAYS_INLINE int row_non_space(const ShapeRow *r, Py_ssize_t i) {
    return i >= r->start && i < r->stop && !(r->bits[i] & RXSPACE_BIT);
}

static ALWAYS_INLINE int row_digits(const ShapeRow *r, Py_ssize_t i, Py_ssize_t count) { /* regex's \d{count} */
    for (Py_ssize_t k = 0; k < count; k++)
        if (!(row_bits(r, i + k) & RXDIGIT_BIT)) return 0;
    return 1;
}

static ALWAYS_INLINE int row_word(const ShapeRow *r, Py_ssize_t i) { /* regex's \w */
    return (row_bits(r, i) & (LETTER_BIT | RXDIGIT_BIT)) || row_char(r, i) == '_';
}

static ALWAYS_INLINE int row_boundary(const ShapeRow *r, Py_ssize_t i) { return row_word(r, i - 1) != row_word(r, i); }

/* The ASCII letter (lower case) that regex's IGNORECASE equates ch with, or 0. */
static ALWAYS_INLINE unsigned fold_letter(Py_UCS4 ch) {
    if (ch < 128) {
        unsigned lower = ch | 0x20;
        return lower >= 'a' && lower <= 'z' ? lower : 0;
    }
    return ch == 0x130 ? 'i' : ch == 0x17f ? 's' : ch == 0x212a ? 'k' : 0;
}

/* Whether the ASCII literal (lower-case letters match IGNORECASE, other characters themselves) starts at i. */
static ALWAYS_INLINE int row_literal(const ShapeRow *r, Py_ssize_t i, const char *literal) {
    for (Py_ssize_t k = 0; literal[k]; k++) {
        Py_UCS4 ch = row_char(r, i + k);
        unsigned want = (unsigned char)literal[k];
        if (want >= 'a' && want <= 'z' ? fold_letter(ch) != want : ch != want) return 0;
    }
    return 1;
}

static ALWAYS_INLINE int row_date_separator(const ShapeRow *r, Py_ssize_t i) {
    Py_UCS4 ch = row_char(r, i);
    return ch == '.' || ch == '/' || ch == '-';
}

/* _BULLET: ^(?:[-–—•*·▪►◦‣●○■□]|\d{1,3}[.)]|[a-z][.)])\s, IGNORECASE (the bullet class is the class bit BULLET). */
static ALWAYS_INLINE int32_t bullet_found(const ShapeRow *r) {
    Py_ssize_t start = r->start;
    if ((r->bits[start] & BULLET_BIT) && row_space(r, start + 1)) return SURE_YES;
    Py_ssize_t digits = 0; /* \d{1,3} is followed by [.)], no digit: it takes the whole run, of at most three */
    while (digits < 4 && (row_bits(r, start + digits) & RXDIGIT_BIT)) digits++;
    Py_UCS4 after = row_char(r, start + digits);
    if (digits >= 1 && digits <= 3 && (after == '.' || after == ')') && row_space(r, start + digits + 1))
        return SURE_YES;
    Py_UCS4 second = row_char(r, start + 1);
    if (fold_letter(row_char(r, start)) && (second == '.' || second == ')') && row_space(r, start + 2))
        return SURE_YES;
    return SURE_NO;
}

/* _BYLINE: ^(?i:by|von|par|por|di|door|автор|av|af|texte?:?)\s+\p{Lu}. Only a character the BYLINE class takes
   (with IGNORECASE: а or А) starts the Cyrillic word, left to the pattern, as is a \p{Lu} beyond ASCII. */
static ALWAYS_INLINE int32_t byline_found(const ShapeRow *r) {
    static const char *const words[] = {"by",   "von",   "par",   "por",    "di", "door", "av",
                                        "af",   "text",  "texte", "text:", "texte:"};
    if (!(r->bits[r->start] & BYLINE_BIT)) return SURE_NO; /* the class of the words' first letters */
    Py_UCS4 first = row_char(r, r->start);
    if (first >= 128 && !fold_letter(first)) return r->bits[r->start] & BYLINE_BIT ? UNSURE : SURE_NO;
    int32_t found = SURE_NO;
    for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
        if (!row_literal(r, r->start, words[w])) continue;
        Py_ssize_t at = r->start + (Py_ssize_t)strlen(words[w]);
        if (!row_space(r, at)) continue;
        while (row_space(r, at)) at++;
        Py_UCS4 ch = row_char(r, at);
        if (ch < 128) {
            if (ch >= 'A' && ch <= 'Z') return SURE_YES;
        } else if (ch != NO_CHAR) {
            found = UNSURE;
        }
    }
    return found;
}

/* _URL (IGNORECASE): https?://|www\.|\S@\S+\.\w{2,}|\.(?:com|org|net|html?)\b, a match starting at i. */
static ALWAYS_INLINE int url_at(const ShapeRow *r, Py_ssize_t i) {
    Py_UCS4 ch = row_char(r, i);
    unsigned letter = fold_letter(ch);
    if (letter == 'h' && (row_literal(r, i, "https://") || row_literal(r, i, "http://"))) return 1;
    if (letter == 'w' && row_literal(r, i, "www.")) return 1;
    if (ch == '.') {
        if ((row_literal(r, i + 1, "com") || row_literal(r, i + 1, "org") || row_literal(r, i + 1, "net") ||
             row_literal(r, i + 1, "htm")) &&
            row_boundary(r, i + 4))
            return 1;
        if (row_literal(r, i + 1, "html") && row_boundary(r, i + 5)) return 1;
    }
    if (row_non_space(r, i) && row_char(r, i + 1) == '@') {
        /* \S+ then "." and two \w: a dot of the run of non-spaces after the "@", not right after it */
        for (Py_ssize_t q = i + 3; row_non_space(r, q - 1); q++)
            if (row_char(r, q) == '.' && row_word(r, q + 1) && row_word(r, q + 2)) return 1;
    }
    return 0;
}

/* _DATE, a match starting at i (a digit; the row is cut to the pattern's window):
   \b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\d{4}年 */
static ALWAYS_INLINE int date_at(const ShapeRow *r, Py_ssize_t i) {
    if (row_digits(r, i, 4) && row_char(r, i + 4) == 0x5e74) return 1;
    if (!row_boundary(r, i)) return 0;
    for (Py_ssize_t a = 1; a <= 2; a++) {
        if (!row_digits(r, i, a)) break;
        if (row_char(r, i + a) == ':' && row_digits(r, i + a + 1, 2) && row_boundary(r, i + a + 3)) return 1;
        if (!row_date_separator(r, i + a)) continue;
        Py_ssize_t j = i + a + 1;
        for (Py_ssize_t b = 1; b <= 2; b++) {
            if (!row_digits(r, j, b)) break;
            if (!row_date_separator(r, j + b)) continue;
            Py_ssize_t k = j + b + 1;
            for (Py_ssize_t c = 2; c <= 4; c++)
                if (row_digits(r, k, c) && row_boundary(r, k + c)) return 1;
        }
    }
    if (row_digits(r, i, 4)) {
        if (row_char(r, i + 4) == '-' && row_digits(r, i + 5, 2) && row_char(r, i + 7) == '-' &&
            row_digits(r, i + 8, 2) && row_boundary(r, i + 10))
            return 1;
        Py_UCS4 c0 = row_char(r, i), c1 = row_char(r, i + 1);
        if (((c0 == '1' && c1 == '9') || (c0 == '2' && c1 == '0')) && row_boundary(r, i + 4)) return 1;
    }
    return 0;
}

/* Whether _DATE finds a match in the row's first DATE_WINDOW characters (every alternative starts with a digit). */
static ALWAYS_INLINE int32_t date_found(ShapeRow r) {
    if (r.stop - r.start > DATE_WINDOW) r.stop = r.start + DATE_WINDOW;
    for (Py_ssize_t i = r.start; i < r.stop; i++)
        if ((r.bits[i] & RXDIGIT_BIT) && date_at(&r, i)) return SURE_YES;
    return SURE_NO;
}

static ALWAYS_INLINE int32_t url_found(const ShapeRow *r, Py_ssize_t from) {
    for (Py_ssize_t i = from; i < r->stop; i++)
        if (url_at(r, i)) return SURE_YES;
    return SURE_NO;
}

/* len(_SEPARATORS.findall(row)): \s[|·•»›/]\s|\s[|·•]|[|·•]\s, matches taken left to right, none overlapping. */
static ALWAYS_INLINE int32_t separators_found(const ShapeRow *r) {
    int32_t count = 0;
    for (Py_ssize_t i = r->start; i < r->stop;) {
        int space = row_space(r, i);
        unsigned next = row_bits(r, i + 1);
        if (space && (next & SEPA_BIT) && row_space(r, i + 2)) i += 3;
        else if (space && (next & SEPB_BIT)) i += 2;
        else if ((r->bits[i] & SEPB_BIT) && (next & RXSPACE_BIT)) i += 2;
        else {
            i++;
            continue;
        }
        count++;
    }
    return count;
}

/* Measure every row and find its patterns, one kind of str at a time. The URL and date patterns are looked for
   in the rows measure_row's gates let through alone, from the first place a match may hold less its reach (5 and
   6 characters: see _lineshape_rows.py), the separators in those with GATE_SEPARATOR. */
static ALWAYS_INLINE Py_ssize_t shape_rows(int kind, const LineShapes *s, Py_ssize_t rows, int32_t *out,
                                            double *mean_logs) {
    Py_ssize_t at = 0;
    for (Py_ssize_t row = 0; row < rows; row++) {
        if (row && at++ == s->n) return -1; /* past the "\n" that ends the row before */
        int32_t *measures = out + row * SHAPE_COLUMNS;
        Py_ssize_t stop = measure_row(kind, s, at, measures);
        if (stop < 0) return -1;
        ShapeRow r = {kind, s->data, s->bits, at, stop};
        int32_t gates = measures[9], url = measures[10], date = measures[11]; /* GATES, URL_AT, DATE_AT */
        measures[ROW_COLUMNS] = bullet_found(&r);
        measures[ROW_COLUMNS + 1] = byline_found(&r);
        measures[ROW_COLUMNS + 2] = url >= 0 ? url_found(&r, at + (url > 5 ? url - 5 : 0)) : SURE_NO;
        measures[ROW_COLUMNS + 3] = date >= 0 ? date_found(r) : SURE_NO;
        measures[ROW_COLUMNS + 4] = gates & GATE_SEPARATOR ? separators_found(&r) : 0;
        int32_t tokens = measures[5]; /* TOKENS; log1p as math.log1p has it (a positive argument: libm's) */
        mean_logs[row] = log1p((double)(stop - at) / (double)(tokens > 1 ? tokens : 1));
        at = stop;
    }
    return at;
}

static PyObject *row_shapes(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *text, *result = NULL, *found = NULL, *logs = NULL;
    Py_buffer bits_buffer, tails_buffer;
    Py_ssize_t rows;
    if (!PyArg_ParseTuple(args, "Uy*y*n:row_shapes", &text, &bits_buffer, &tails_buffer, &rows)) return NULL;
    LineShapes s = {PyUnicode_DATA(text), bits_buffer.buf, tails_buffer.buf, PyUnicode_GET_LENGTH(text)};
    if (bits_buffer.len != s.n * (Py_ssize_t)sizeof(uint16_t) || tails_buffer.len != BMP || rows < 1 ||
        rows > PY_SSIZE_T_MAX / (SHAPE_COLUMNS * (Py_ssize_t)sizeof(int32_t))) {
        PyErr_SetString(PyExc_ValueError, "row_shapes needs uint16 bits per character, a BMP tails table, rows >= 1");
        goto done;
    }
    found = PyBytes_FromStringAndSize(NULL, rows * SHAPE_COLUMNS * (Py_ssize_t)sizeof(int32_t));
    logs = PyBytes_FromStringAndSize(NULL, rows * (Py_ssize_t)sizeof(double));
    if (!found || !logs) goto done;
    int32_t *out = (int32_t *)PyBytes_AS_STRING(found);
    double *mean_logs = (double *)PyBytes_AS_STRING(logs);
    Py_ssize_t end;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: end = shape_rows(PyUnicode_1BYTE_KIND, &s, rows, out, mean_logs); break;
    case PyUnicode_2BYTE_KIND: end = shape_rows(PyUnicode_2BYTE_KIND, &s, rows, out, mean_logs); break;
    default: end = shape_rows(PyUnicode_4BYTE_KIND, &s, rows, out, mean_logs); break;
    }
    if (end != s.n) PyErr_SetString(PyExc_ValueError, "text must be rows non-empty lines joined by \"\\n\"");
    else result = PyTuple_Pack(2, found, logs);
done:
    Py_XDECREF(found);
    Py_XDECREF(logs);
    PyBuffer_Release(&bits_buffer);
    PyBuffer_Release(&tails_buffer);
    return result;
}

static PyMethodDef methods[] = {
    {"tokenize", tokenize, METH_VARARGS,
     "tokenize(pages, repeat_chars): number the \\w+ words of a batch's lowercased lines and count each page's "
     "repeated lines (see textclean/_tokens.py)."},
    {"prefilter_pairs", prefilter_pairs, METH_VARARGS,
     "prefilter_pairs(ids, lengths, documents, hashes, multipliers, offsets, bound): the near-repeat prefilter's pairs "
     "(see textclean/_paragraph_prefilter.py)."},
    {"trigram_overlaps", trigram_overlaps, METH_VARARGS,
     "trigram_overlaps(ids, lengths, later, earlier): the distinct word trigrams each pair of paragraphs shares and "
     "has together (see textclean/_paragraph_prefilter.py)."},
    {"word_hashes", word_hashes, METH_VARARGS,
     "word_hashes(words, used): zlib's CRC-32 of the UTF-8 of the used words (see textclean/_paragraph_prefilter.py)."},
    {"lines_holding", lines_holding, METH_VARARGS,
     "lines_holding(document, needles): per needle, the lines of document holding it (see "
     "textclean/_matcher_probe.py)."},
    {"route_spec", route_spec, METH_VARARGS,
     "route_spec(starts, keys, ends, open, words, firsts, digits, owners, filed, shapes, tail, twins): the rule "
     "routes' tables, built once (see textclean/_matcher_routes.py)."},
    {"route_lines", route_lines, METH_VARARGS,
     "route_lines(spec, lines, lead_of): per line some route holds on, its lead and routes (see "
     "textclean/_matcher_routes.py)."},
    {"code_blocks", code_blocks, METH_VARARGS,
     "code_blocks(text): the 256-code-point blocks of the BMP and the astral code points text holds (see "
     "textclean/_lineshape_classes.py)."},
    {"class_bits", class_bits, METH_VARARGS,
     "class_bits(text, table, astral, astral_bits): the class bits of each character of text (see "
     "textclean/_lineshape_classes.py)."},
    {"row_shapes", row_shapes, METH_VARARGS,
     "row_shapes(text, bits, tails, rows): per row of text, its counts, tail flags, gates and the verdicts of the "
     "bullet, byline, URL, date and separator patterns (see textclean/_lineshape_rows.py)."},
    {"minhash_shingles", minhash_shingles, METH_VARARGS,
     "minhash_shingles(points, text_bounds, table, fold_digits, ngram, position_mult, ngram_mult, out, bounds): "
     "each text's sorted unique shingle hashes (see textclean/_minhash_kernels.py)."},
    {"minhash_signatures", minhash_signatures, METH_VARARGS,
     "minhash_signatures(hashes, bounds, a, b, signatures): fold each group's permuted hashes into its row."},
    {"sorted_intersections", sorted_intersections, METH_VARARGS,
     "sorted_intersections(hashes, bounds, left, right, out): the common values of pairs of sorted groups."},
    {"normalize_scan", normalize_scan, METH_VARARGS,
     "normalize_scan(text, flags, contexts, clues, entities, form): a document's line spans, right-stripped lines, the lines "
     "normalisation must look at and those the normal-form check must see (see textclean/_normalize_scan.py)."},
    {"lexical_columns", lexical_columns, METH_VARARGS,
     "lexical_columns(local, line_starts, page_starts, page_distinct, distinct_starts, flags, pages, rows, words, "
     "least, out): the lexical features of chosen rows of pages of a token table (see textclean/_lexical.py)."},
    {"lexical_flags", lexical_flags, METH_VARARGS,
     "lexical_flags(words, lexicon, letters): per word whether it is a content word, and one of lexicon (see "
     "textclean/_lexical.py)."},
    {"gate_words", gate_words, METH_VARARGS,
     "gate_words(needles, bits, always, twins): the comment gates' word automaton, built once (see "
     "textclean/_classify_gates_native.py)."},
    {"word_masks", word_masks, METH_VARARGS,
     "word_masks(gate, text, starts, sizes): per row of text, the masks of the word gates it passes, lowered as "
     "it is scanned."},
    {"start_masks", start_masks, METH_VARARGS,
     "start_masks(text, bits, starts, sizes, letter, classes, keys, masks, char_sets): per row of text, the masks of "
     "the first-letter and character gates it passes."},
    {"paragraph_rows", paragraph_rows, METH_VARARGS,
     "paragraph_rows(pages, verdict_type, vocabulary, min_words): per page its kept rows and their exact copies, and "
     "the near-copy candidates' words (see textclean/_paragraphs.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", "textclean's optional compiled kernels.", -1,
                                    methods};

PyMODINIT_FUNC PyInit__native(void) {
    lower_name = PyUnicode_InternFromString("lower");
    if (!lower_name) return NULL;
    for (Py_UCS4 ch = 0; ch < 256; ch++) latin1_word[ch] = (unsigned char)(Py_UNICODE_ISALNUM(ch) || ch == '_');
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        crc_table[byte] = crc;
    }
    line_shapes_init();
    return PyModule_Create(&module);
}
