"""Reader comments: comment forms, comment furniture, and the phrases that open a comment section (``B05x``).

The comment *section* rule (``B505``, in :mod:`textclean._rules.structure`) uses the two phrase
tables below: a section starts at a header (:data:`COMMENT_HEADERS`) confirmed by comment
markers (:data:`COMMENT_MARKERS`: "X says:", "Reply", dated bylines) in the lines after it.
"""

from __future__ import annotations

from textclean._rule import Rule
from textclean._rules._build import phrase_rule

__all__ = ["COMMENT_HEADERS", "COMMENT_MARKERS", "COMMENT_RULES"]

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

COMMENT_HEADERS: tuple[str, ...] = (
    r"^\W{0,3}(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|discussion|reactions?|trackbacks?|pingbacks?)"
    r"(?:\s*\(\d+\))?(?:\s+(?:to|on|for)\s+.{1,120}?)?\W{0,3}$",
    r"^\W{0,3}(?:\d+\s+)?(?:thoughts? on|responses? to|comments? on)\s+.{1,120}$",
    r"^\W{0,3}(?:\d+\s+)?(?:kommentare?|leserkommentare|reaktionen|antworten)(?:\s*\(\d+\))?\W{0,3}$",
    r"^\W{0,3}(?:\d+\s+)?(?:commentaires?|réactions?)(?:\s*\(\d+\))?\W{0,3}$",
    r"^\W{0,3}(?:\d+\s+)?(?:comentarios?|comentários?|respuestas?|respostas?)(?:\s*\(\d+\))?\W{0,3}$",
    r"^\W{0,3}(?:\d+\s+)?(?:commenti|commento|reacties?)(?:\s*\(\d+\))?\W{0,3}$",
    r"^\W{0,3}(?:\d+\s+)?(?:комментари\w*|отзывы)(?:\s*\(\d+\))?\W{0,3}$",
    r"^\W{0,3}(?:\d+\s*条)?(?:评论|留言|網友回應)(?:\s*\(\d+\))?\W{0,3}$",
    r"^\W{0,3}(?:コメント|みんなのコメント|読者コメント)(?:\s*[（(]\d+[)）])?\W{0,3}$",
    COMMENT_FORM.patterns[0],
)
"""Lines that open a comment section (``Rule.patterns`` syntax, case-insensitive)."""

COMMENT_MARKERS: tuple[str, ...] = (
    *COMMENT_MARKER.patterns,
    # a dated byline: a name, then a date or time, nothing else
    r"^[\w .'’@-]{1,40}\s*(?:on|am|le|el|em|il|op|[|,–-])\s*.{0,12}\d{1,4}[./ -].{0,24}\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\W{0,3}$",  # noqa: E501 (one phrase table row)
    r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?:\s+(?:at|um|à|a las)?\s*\d{1,2}:\d{2}.{0,6})?$",
    r"^(?:\w+ \d{1,2},? \d{4}|\d{1,2} \w+ \d{4})\s*(?:at|um|à|-|,)\s*\d{1,2}:\d{2}.{0,6}$",
)
"""Lines typical inside a comment section (one is enough to confirm a header)."""

COMMENT_RULES: tuple[Rule, ...] = (COMMENT_FORM, COMMENT_MARKER)
