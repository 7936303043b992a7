"""Reader comments: comment forms, comment furniture, and the phrases that open a comment section (``B05x``).

The comment *section* rule (``B505``, in :mod:`textclean._rules.structure`) uses the two phrase
tables below: a section starts at a header (:data:`COMMENT_HEADERS`) confirmed by comment
markers (:data:`COMMENT_MARKERS`: "X says:", "Reply", dated bylines, clock times) in the lines after
it. A header only counts below the article's first long line, so a "Comments" link in the top menu
never opens a section.
"""

from __future__ import annotations

from textclean._rule import Rule
from textclean._rules._build import phrase_rule

__all__ = [
    "COMMENT_HEADERS",
    "COMMENT_LOOKAHEAD",
    "COMMENT_MAIN_TEXT_WORDS",
    "COMMENT_MARKERS",
    "COMMENT_MIN_MARKERS",
    "COMMENT_RULES",
    "MONTH_NAME",
]

COMMENT_FORM = phrase_rule(
    code="B050",
    name="comment-form",
    summary="Comment forms: 'Leave a reply', 'Your email address will not be published', field labels.",
    why="The comment form is the same on every post; its labels are not content.",
    anchor="start",
    max_words=30,
    phrases={
        "en": [r"leave a (?:reply|comment|response)", r"post (?:a )?comment", r"add (?:a|your) comment", r"submit comment",  # noqa: E501 (one phrase table row)
               r"your email address will not be published", r"required fields are marked", r"(?:name|e-?mail|website|comment)\s*\*",  # noqa: E501 (one phrase table row)
               r"notify me of (?:follow-up|new) (?:comments|posts)", r"save my name,? email", r"you must be logged in to post",  # noqa: E501 (one phrase table row)
               r"cancel reply", r"comments are closed", r"(?:no|\d+) comments?(?: yet)?\W*$", r"be the first to comment",  # noqa: E501 (one phrase table row)
               r"join the discussion", r"write a comment", r"comment policy", r"(?:view|show|hide) (?:all )?comments",
               r"this site uses akismet", r"log in to (?:reply|comment)", r"please log in to comment"],
        "de": [r"(?:hinterlasse|schreibe?) (?:einen|eine) (?:kommentar|antwort)", r"kommentar (?:verfassen|schreiben|absenden)",  # noqa: E501 (one phrase table row)
               r"(?:deine|ihre) e-?mail-?adresse wird nicht veröffentlicht", r"erforderliche felder sind (?:mit \* )?markiert",  # noqa: E501 (one phrase table row)
               r"(?:keine|\d+) kommentare?\W*$", r"kommentare (?:sind )?geschlossen", r"antworten abbrechen"],
        "fr": [r"laisser un (?:commentaire|réponse)", r"(?:votre|ton) adresse (?:e-?mail|de messagerie) ne sera pas publiée",  # noqa: E501 (one phrase table row)
               r"les champs obligatoires sont indiqués", r"(?:aucun|\d+) commentaires?\W*$", r"ajouter un commentaire",
               r"annuler la réponse", r"les commentaires sont fermés"],
        "es": [r"deja (?:una respuesta|un comentario)", r"tu (?:dirección de )?correo electrónico no será publicad[ao]",
               r"los campos obligatorios están marcados", r"(?:sin|\d+) comentarios?\W*$", r"publicar comentario",
               r"cancelar respuesta", r"comentarios cerrados"],
        "pt": [r"deixe (?:um comentário|uma resposta)", r"o seu (?:endereço de )?e-?mail não será publicado",
               r"campos obrigatórios são marcados", r"(?:sem|\d+) comentários?\W*$", r"publicar comentário",
               r"cancelar resposta"],
        "it": [r"lascia un (?:commento|risposta)", r"il tuo indirizzo (?:e-?mail|email) non sarà pubblicato",
               r"i campi obbligatori sono contrassegnati", r"(?:nessun|\d+) comment[oi]\W*$", r"annulla (?:la )?risposta",  # noqa: E501 (one phrase table row)
               r"invia commento"],
        "nl": [r"laat een (?:reactie|antwoord) achter", r"je e-?mailadres wordt niet gepubliceerd",
               r"vereiste velden zijn gemarkeerd", r"(?:geen|\d+) reacties?\W*$", r"reactie (?:plaatsen|annuleren)"],
        "ru": [r"(?:добавить|оставить) комментарий", r"ваш (?:адрес )?e-?mail не будет опубликован",
               r"обязательные поля помечены", r"(?:нет|\d+) комментари\w*\W*$", r"отменить ответ",
               r"комментарии закрыты"],
        "zh": [r"发表评论", r"(?:您的|你的)?(?:电子)?邮箱(?:地址)?不会被公开", r"必填项已用", r"(?:暂无|\d+\s*条)评论",
               r"取消回复"],
        "ja": [r"コメントを(?:残す|書く|する)", r"メールアドレスが公開されることはありません", r"は必須項目です",
               r"コメント(?:はありません|\(\d+\))", r"返信をキャンセル"],
    },
    examples=["Leave a Reply", "Your email address will not be published. Required fields are marked *", "Name *",
              "Kommentar verfassen", "Laisser un commentaire", "Deja una respuesta", "Deixe um comentário",
              "Lascia un commento", "Laat een reactie achter", "Добавить комментарий", "发表评论", "コメントを残す"],
    keeps=["Leave a light on for the late trains, the stationmaster told the new porter in 1923."],
)

COMMENT_MARKER = phrase_rule(
    code="B051",
    name="comment-marker",
    summary="Comment furniture: 'Reply', 'X says:', 'Report abuse', vote buttons on comments.",
    why="Per-comment buttons and bylines frame each reader comment; they are never article text.",
    anchor="line",
    max_words=12,
    phrases={
        "en": [r"reply", r"reply to (?:this )?(?:comment|\w+)", r"report(?: (?:abuse|comment|this comment))?",
               r"[\w .'’-]{1,40} (?:says|said|wrote|writes)\s*:?", r"permalink", r"quote", r"flag(?: as inappropriate)?",  # noqa: E501 (one phrase table row)
               r"(?:up|down)vote", r"recommend", r"in reply to [\w .'’-]{1,40}", r"(?:log in|sign in) to reply"],
        "de": [r"antworten", r"melden", r"[\w .'’-]{1,40} (?:sagt|schreibt|meint)\s*:?", r"zitieren"],
        "fr": [r"répondre", r"signaler(?: un abus)?", r"[\w .'’-]{1,40} (?:dit|a dit|écrit)\s*:?"],
        "es": [r"responder", r"denunciar", r"[\w .'’-]{1,40} (?:dice|dijo|escribió)\s*:?"],
        "pt": [r"responder", r"denunciar", r"[\w .'’-]{1,40} (?:diz|disse|escreveu)\s*:?"],
        "it": [r"rispondi", r"segnala", r"[\w .'’-]{1,40} (?:dice|ha detto|scrive)\s*:?"],
        "nl": [r"reageer", r"beantwoorden", r"[\w .'’-]{1,40} (?:zegt|schreef)\s*:?"],
        "ru": [r"ответить", r"пожаловаться", r"[\w .'’-]{1,40} (?:пишет|говорит|сказал[а]?)\s*:?"],
        "zh": [r"回复", r"举报", r"[\w .'’-]{1,40}\s*(?:说|写道)\s*[:：]"],
        "ja": [r"返信(?:する)?", r"通報", r"[\w .'’-]{1,40}\s*(?:より|さん)\s*[:：]?"],
    },
    mode="balanced",
    examples=["Reply", "Report abuse", "John Smith says:", "Antworten", "Répondre", "Responder", "Rispondi", "Ответить",
              "回复", "返信"],
    keeps=["Reply to the council's letter by Friday, the residents' association urged its members."],
)

_COUNT = r"(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten|ein|eine|un|une|uno|una|um|één|один)"
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli|okt|dez|janv|févr|mars|"
    r"avr|juin|juil|août|sept|déc|ene|abr|ago|dic|fev|mai|set|out|dez|gen|mag|giu|lug|ott|mei|okt)[a-zéû]{0,7}\.?"
)

MONTH_NAME = _MONTH
"""A month name or its abbreviation, in English, German, French, Spanish, Portuguese, Italian and Dutch
(a case-insensitive pattern; it also takes a few longer words that start like one, harmless beside a year)."""

_SECTION = (
    r"(?:reader |user |visitor )?(?:comments?|responses?|replies|discussion|reactions?|trackbacks?|trackback pings|"
    r"pingbacks?|thoughts?|soundoff|feedback)"
)

COMMENT_HEADERS: tuple[str, ...] = (
    # "Comments", "12 Comments", "Comments (3)", "Reader comments", "Trackbacks", "Discussion:"
    rf"^\W{{0,3}}(?:{_COUNT}\s+)?{_SECTION}(?:\s*[(\[]\d+[)\]])?\W{{0,3}}(?:\w{{1,12}}\W{{0,3}})?$",
    # "35 Responses to “Title”", "14 comments on Title", "Comments on this entry" (a count, or a plural)
    rf"^\W{{0,3}}(?:{_COUNT}\s+{_SECTION}|(?:reader )?(?:comments|responses|replies|thoughts))\s+(?:to|on|for|about)\s+.{{1,120}}$",  # noqa: E501 (one phrase table row)
    # "soundoff (78 Responses)", "There are 4 comments. Add yours.", "Showing 12 comments", "1 CommentNo Reactions"
    r"^.{0,30}[(\[]\d+ (?:comments?|responses?|replies)[)\]]\W{0,3}$",
    rf"^\W{{0,3}}(?:there (?:are|is) |showing |displaying |read (?:all )?|view (?:all )?)?{_COUNT} ?(?:comments?|responses?|replies).{{0,40}}$",  # noqa: E501 (one phrase table row)
    r"^\W{0,3}(?:join|add to|start) the (?:discussion|conversation)\W{0,3}$",
    r"^\W{0,3}(?:what do you think|have your say|your (?:comments?|thoughts|opinion))\W{0,3}$",
    rf"^\W{{0,3}}(?:{_COUNT}\s+)?(?:kommentare?|leserkommentare|reaktionen|antworten|diskussion|leserbriefe|"
    r"meinungen)(?:\s*\(\d+\))?(?:\s+(?:zu|zum|zur)\s+.{1,120}?)?\W{0,3}$",
    rf"^\W{{0,3}}(?:{_COUNT}\s+)?(?:commentaires?|réactions?|réponses?)(?:\s*\(\d+\))?(?:\s+(?:à|a|sur)\s+.{{1,120}}?)?\W{{0,3}}$",
    rf"^\W{{0,3}}(?:{_COUNT}\s+)?(?:comentarios?|comentários?|respuestas?|respostas?|opiniones)(?:\s*\(\d+\))?(?:\s+(?:a|para|em|en|sobre)\s+.{{1,120}}?)?\W{{0,3}}$",
    rf"^\W{{0,3}}(?:{_COUNT}\s+)?(?:commenti|commento|risposte|reacties?)(?:\s*\(\d+\))?(?:\s+(?:a|su|op)\s+.{{1,120}}?)?\W{{0,3}}$",
    r"^\W{0,3}(?:\d+\s+)?(?:комментари\w*|отзывы|ответов)(?:\s*\(\d+\))?\W{0,3}$",
    r"^\W{0,3}(?:\d+\s*条)?(?:评论|留言|網友回應|网友评论|评论区)(?:\s*[（(]\d+[)）])?\W{0,3}$",
    r"^\W{0,3}(?:コメント|みんなのコメント|読者コメント)(?:\s*[（(]\d+[)）])?\W{0,3}$",
    *COMMENT_FORM.patterns,
)
"""Lines that open a comment section (``Rule.patterns`` syntax, case-insensitive, matched at the line's start)."""

COMMENT_MARKERS: tuple[str, ...] = (
    *COMMENT_MARKER.patterns,
    # a byline of a post or comment: "Posted by: Jeff | November 9, 2012 at 8:01 AM", "Submitted by anna on ..."
    r"^\W{0,3}(?:posted|submitted|written|commented|gepostet|geschrieben|publié|publicado|pubblicato|geplaatst)"
    r"(?: (?:by|on|at|von|am|par|le|por|em|da|il|door|op))?\b.{0,100}$",
    # a short line with a clock time ("August 9, 2012 02:07 pm", "4 Nov 12 at 11:22 pm", "9. November 2012 um 14:32")
    r"^.{0,60}(?<![\d:.])\d{1,2}:\d{2}(?!\d)(?::\d{2})?\s*(?:[ap]\.?m\.?|uhr|h|[A-Z]{2,4})?.{0,40}$",
    # a short line with a full date ("October 22, 2012 | Maggie", "1. tomstoned - 20 August, 2011"): a weak marker,
    # since article datelines look the same (a section needs one marker that is not a bare date)
    rf"(?P<date>^.{{0,50}}\b(?:{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}\.? {_MONTH},? \d{{2,4}}|"
    r"\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))\b.{0,40}$)",
    # "3 hours ago", "vor 2 Tagen", "il y a 3 jours"
    r"^.{0,60}\b(?:\d+|an?|one) (?:minutes?|hours?|days?|weeks?|months?|years?) ago\b.{0,20}$",
    r"^.{0,60}\b(?:vor \d+ (?:minuten|stunden|tagen|wochen|monaten)|il y a \d+ (?:minutes?|heures?|jours?))\b.{0,20}$",
    # per-comment furniture at the end of a line: "... reply actions", "Reply ↓", "Report abuse"
    r"\b(?:reply|report abuse|antworten|répondre|responder|rispondi)\W{0,3}(?:actions?|↓)?\W{0,3}$",
)
"""Lines typical inside a comment section.

Two within :data:`COMMENT_LOOKAHEAD` lines confirm a header, one of them more than a bare date
(the ``date`` group).
"""

COMMENT_LOOKAHEAD = 40
"""How many lines after a header are searched for comment markers."""

COMMENT_MIN_MARKERS = 2
"""How many marker lines confirm a comment section."""

COMMENT_MAIN_TEXT_WORDS = 15
"""A header counts only below a line at least this long: the article comes before its comments."""

COMMENT_RULES: tuple[Rule, ...] = (COMMENT_FORM, COMMENT_MARKER)
