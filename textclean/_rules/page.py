"""Page furniture around the article: feed footers, author boxes, credits, datelines (``B01x``)."""

from __future__ import annotations

from textclean._rule import Rule
from textclean._rules._build import phrase_rule

__all__ = ["PAGE_RULES"]

RSS_FOOTER = phrase_rule(
    code="B010",
    name="rss-footer",
    summary="Feed footers: 'The post … appeared first on …'.",
    why="Feed readers and scrapers of RSS copies append the feed's attribution line; it is not the article.",
    anchor="start",
    max_words=60,
    phrases={
        "en": [r"the post .{1,400}? (?:appeared|was published) first on (?:\S+ ){0,5}\S+$",
               r"the post .{1,400}? first appeared on (?:\S+ ){0,5}\S+$",
               r"this (?:post|article|entry) (?:was )?(?:originally |first )?(?:appeared|published) (?:on|in) ",
               r"this article (?:is republished|was originally published) (?:from|on|in) "],
        "de": [r"der beitrag .{1,400}? erschien zuerst auf ", r"der (?:beitrag|artikel) .{1,400}? erschien zuerst (?:auf|bei) "],  # noqa: E501 (one phrase table row)
        "fr": [r"l['’](?:article|entrée) .{1,400}? est apparu en premier sur ", r"cet article est paru (?:dans|sur) "],
        "es": [r"la entrada .{1,400}? (?:se publicó|apareció) primero en ", r"el post .{1,400}? apareció primero en "],
        "pt": [r"o (?:post|artigo) .{1,400}? apareceu primeiro (?:em|no) ", r"a entrada .{1,400}? apareceu primeiro "],
        "it": [r"l['’]articolo .{1,400}? (?:sembra essere il primo su|proviene da) ",
               r"(?:il post|l['’]articolo) .{1,400}? è apparso per la prima volta su "],
        "nl": [r"het bericht .{1,400}? verscheen eerst op "],
        "ru": [r"(?:сообщение|запись|пост) .{1,400}? (?:впервые )?появил(?:ась|ось|ся|ись) (?:сначала|впервые) на "],
        "zh": [r".{1,400}?最先出现在"],
        "ja": [r".{1,400}?は.{1,100}?に最初に表示されました"],
    },
    examples=[
        "The post Why the River Rose So Fast appeared first on Riverside News.",
        "Der Beitrag Warum der Fluss so schnell stieg erschien zuerst auf Flussblatt.",
        "L’article Pourquoi la rivière a monté est apparu en premier sur Le Fleuve.",
        "La entrada Por qué subió el río se publicó primero en Diario del Río.",
        "Запись Почему поднялась река впервые появилась сначала на Речной вестник.",
        "为什么河水上涨最先出现在河流日报。",
    ],
    keeps=["The post office appeared first on the list of buildings to be restored after the flood."],
)

AUTHOR_BOX = phrase_rule(
    code="B011",
    name="author-box",
    summary="Author boxes and post meta lines: 'About admin', 'Posted by … in …'.",
    why="Author boxes and 'posted by X in Category' lines are templates repeated on every post of a blog.",
    anchor="start",
    max_words=14,
    phrases={
        "en": [r"about (?:the )?(?:author|admin|administrator|editor|writer)(?: \S+){0,3}$",
               r"(?:posted|written|published|submitted) by .{1,80}? (?:in|on|at|under) ",
               r"(?:posted|filed) (?:in|under) ", r"view all posts by", r"more (?:posts|articles|stories) by ",
               r"(?:author|posted by|written by)\s*:?\s*admin\b", r"author archives?\b"],
        "de": [r"über (?:den|die) (?:autor|autorin)\b", r"(?:veröffentlicht|geschrieben|verfasst) von .{1,80}? (?:in|am|unter) ",  # noqa: E501 (one phrase table row)
               r"alle (?:beiträge|artikel) von "],
        "fr": [r"à propos de l['’]auteur", r"(?:publié|posté|écrit) par .{1,80}? (?:dans|le) ", r"voir tous les articles de "],  # noqa: E501 (one phrase table row)
        "es": [r"sobre el autor\b", r"acerca del autor", r"(?:publicado|escrito) por .{1,80}? (?:en|el) ",
               r"ver todas las entradas de "],
        "pt": [r"sobre o autor\b", r"(?:publicado|postado|escrito) por .{1,80}? (?:em|no|na) ", r"ver todos os posts de "],  # noqa: E501 (one phrase table row)
        "it": [r"(?:informazioni )?sull['’]autore", r"(?:pubblicato|scritto) da .{1,80}? (?:in|il) ",
               r"visualizza tutti gli articoli di "],
        "nl": [r"over de (?:auteur|schrijver)", r"(?:geplaatst|geschreven) door .{1,80}? (?:in|op) ", r"bekijk alle berichten van "],  # noqa: E501 (one phrase table row)
        "ru": [r"об авторе\b", r"(?:опубликовано|автор записи)\s*:?\s*", r"все записи автора "],
        "zh": [r"关于作者", r"作者简介", r"发布者\s*[:：]"],
        "ja": [r"著者について", r"この記事を書いた人", r"投稿者\s*[:：]"],
    },
    examples=[
        "About admin",
        "Posted by admin in World News",
        "Über den Autor",
        "À propos de l’auteur",
        "Sobre el autor",
        "Об авторе",
        "关于作者",
        "この記事を書いた人",
    ],
    keeps=[
        "By Jesse Rivers",
        "About the author of the report, little is known except that she worked in Geneva for a decade.",
    ],
)

IMAGE_CREDIT = phrase_rule(
    code="B012",
    name="image-credit",
    summary="Photo and image credits.",
    why="Credits name the owner of an image the text no longer shows.",
    anchor="start",
    max_words=12,
    phrases={
        "en": [r"\(?(?:photo|image|picture|photograph|graphic|illustration|video)s?(?: credit)?s? ?[:/|©]",
               r"\(?(?:photo|image) (?:by|courtesy(?: of)?) ", r"\(?credit\s*:", r"\(?copyright\s*:", r"\(?getty images\)?$",  # noqa: E501 (one phrase table row)
               r"\(?(?:ap|afp|reuters|epa) photo"],
        "de": [r"\(?(?:foto|bild|fotos|bilder|grafik)\s*[:/|©]", r"\(?bildquelle\s*:", r"\(?quelle\s*:"],
        "fr": [r"\(?(?:photo|image|crédit(?: photo)?|illustration)s?\s*:", r"\(?©\s*(?:photo|afp)"],
        "es": [r"\(?(?:foto|imagen|fotografía|crédito)s?\s*:", r"\(?fuente\s*:"],
        "pt": [r"\(?(?:foto|imagem|crédito)s?\s*:", r"\(?fonte\s*:"],
        "it": [r"\(?(?:foto|immagine|credito)\s*:", r"\(?fonte\s*:"],
        "nl": [r"\(?(?:foto|beeld|afbeelding)\s*:", r"\(?bron\s*:"],
        "ru": [r"\(?(?:фото|изображение|иллюстрация)\s*:", r"\(?источник\s*:"],
        "zh": [r"\(?(?:图片|圖片|图|摄影)(?:来源)?\s*[:：]"],
        "ja": [r"\(?(?:写真|画像|撮影)\s*[:：]"],
    },
    examples=["(Copyright: Thinkstock)", "Photo: Reuters", "Foto: dpa", "Crédit photo : AFP", "Фото: ТАСС",
              "图片来源：新华社", "写真：共同"],
    keeps=["Photography was her first love, long before she started writing about rivers."],
)

TIMESTAMP_LINE = phrase_rule(
    code="B013",
    name="timestamp-line",
    summary="Lone timestamps and 'posted on' datelines outside the article's top.",
    why="A date or time alone on a line is a widget's or a list's stamp; the article's own dateline is kept by context.",  # noqa: E501 (one phrase table row)
    anchor="line",
    max_words=8,
    mode="aggressive",
    phrases={
        "*": [r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]\.?m\.?)?)?",
              r"\d{4}-\d{2}-\d{2}(?:[ t]\d{2}:\d{2}(?::\d{2})?)?", r"\d{1,2}:\d{2}(?: ?[ap]\.?m\.?)?(?: [a-z]{2,4})?",
              r"\d{4}年\d{1,2}月\d{1,2}日(?: ?\d{1,2}[:：]\d{2})?"],
        "en": [r"(?:posted|published|updated|last updated)(?: on)?:? .{3,40}"],
        "de": [r"(?:veröffentlicht|aktualisiert)(?: am)?:? .{3,40}"],
        "fr": [r"(?:publié|mis à jour)(?: le)?:? .{3,40}"],
        "es": [r"(?:publicado|actualizado)(?: el)?:? .{3,40}"],
        "pt": [r"(?:publicado|atualizado)(?: em)?:? .{3,40}"],
        "it": [r"(?:pubblicato|aggiornato)(?: il)?:? .{3,40}"],
        "nl": [r"(?:gepubliceerd|bijgewerkt)(?: op)?:? .{3,40}"],
        "ru": [r"(?:опубликовано|обновлено):? .{3,40}"],
        "zh": [r"(?:发布|更新)(?:时间|日期)\s*[:：].{3,40}"],
        "ja": [r"(?:投稿|更新)日\s*[:：].{3,40}"],
    },
    examples=["01/11/2024", "2024-11-01 14:30", "4:42 PM", "Posted on March 3, 2020", "Veröffentlicht am 3. März 2020",
              "2024年11月1日"],
    keeps=["On 01/11/2024 the council met again to decide on the new bridge over the river."],
)

PAGE_RULES: tuple[Rule, ...] = (RSS_FOOTER, AUTHOR_BOX, IMAGE_CREDIT, TIMESTAMP_LINE)
