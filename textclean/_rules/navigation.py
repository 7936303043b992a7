"""Navigation furniture: read-more links, related headings, pagination, breadcrumbs, tags (``B04x``)."""

from __future__ import annotations

from textclean._rule import Rule
from textclean._rules._build import phrase_rule

__all__ = ["NAVIGATION_RULES"]

READ_MORE = phrase_rule(
    code="B040",
    name="read-more",
    summary="'Read more' and 'continue reading' links on their own.",
    why="A bare 'read more' link points elsewhere; a line that goes on with a real headline is left to context.",
    anchor="line",
    max_words=8,
    phrases={
        "en": [r"read (?:more|on|the (?:full|rest of the) (?:story|article))(?: (?:»|›|>|→|\.\.\.|…))?",
               r"continue reading(?: (?:→|»|the (?:story|article)|\.\.\.|…))?", r"(?:see|view|show) (?:more|all)",
               r"full (?:story|article)", r"more\s*(?:»|›|>|→|\.\.\.|…)", r"(?:click|tap) here(?: to read more)?",
               r"more (?:news|stories|articles|videos|photos|from \w+(?: \w+)?)(?:\.\.\.|…)?", r"keep reading", r"learn more",  # noqa: E501 (one phrase table row)
               r"read the (?:full )?(?:story|article)"],
        "de": [r"weiterlesen", r"(?:mehr|alles) (?:lesen|dazu|erfahren)", r"zum (?:ganzen )?artikel", r"mehr(?: »| …)",
               r"mehr (?:zum thema|nachrichten|artikel)"],
        "fr": [r"lire la suite", r"(?:en )?lire plus", r"en savoir plus", r"voir (?:plus|tout)", r"suite de l['’]article"],  # noqa: E501 (one phrase table row)
        "es": [r"leer m[aá]s", r"seguir leyendo", r"ver m[aá]s", r"m[aá]s información", r"sigue leyendo"],
        "pt": [r"leia mais", r"ler mais", r"continue lendo", r"continuar a ler", r"saiba mais", r"veja mais"],
        "it": [r"leggi (?:tutto|di più|anche|l['’]articolo)", r"continua a leggere", r"scopri di più", r"altro"],
        "nl": [r"lees (?:meer|verder)", r"verder lezen", r"meer (?:lezen|informatie)", r"bekijk meer"],
        "ru": [r"читать (?:далее|дальше|полностью|еще|ещё)", r"подробнее", r"узнать больше", r"показать (?:ещё|еще|все)"],  # noqa: E501 (one phrase table row)
        "zh": [r"阅读(?:更多|全文)", r"查看(?:更多|全文|详情)", r"更多(?:内容|新闻)?", r"展开全文", r"详细"],
        "ja": [r"続きを読む", r"もっと見る", r"(?:記事の)?全文を(?:読む|表示)", r"詳しくはこちら", r"詳細(?:を見る)?"],
    },
    examples=["Read more", "Continue reading →", "Weiterlesen", "Lire la suite", "Leer más", "Leia mais",
              "Continua a leggere", "Lees meer", "Читать далее", "阅读全文", "続きを読む"],
    keeps=["READ MORE: Council approves the new bridge after a decade of delays",
           "Read more about the river in our special report on the 2021 floods, which won three awards."],
)

RELATED_HEADING = phrase_rule(
    code="B041",
    name="related-heading",
    summary="Headings of related, recommended and most-read link lists.",
    why="These headings introduce lists of links to other pages, never the document's own text.",
    anchor="line",
    max_words=8,
    phrases={
        "en": [r"related(?: (?:articles?|posts?|stories|content|links|news|topics|coverage|reading|videos?|items))?",
               r"(?:you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you)?)",
               r"(?:most (?:popular|read|viewed|shared|emailed|commented)|popular (?:posts|stories|articles)|trending(?: now)?)",  # noqa: E501 (one phrase table row)
               r"(?:more (?:from|in|on) (?:this|the) (?:section|site|category)|also (?:on|in) \w+(?: \w+)?)",
               r"(?:see also|further reading|in (?:other|related) news|latest (?:news|posts|stories|articles))",
               r"(?:recent (?:posts|comments|articles|entries)|(?:top|editor['’]s) (?:stories|picks|choice))",
               r"what (?:to read|to watch) next", r"don['’]t miss", r"around the web", r"(?:blog )?archives?",
               r"categories",
               r"latest on", r"more (?:on|about) this (?:story|topic)"],
        "de": [r"(?:ähnliche|verwandte|weitere) (?:artikel|beiträge|themen|nachrichten)", r"das könnte sie auch interessieren",  # noqa: E501 (one phrase table row)
               r"(?:meistgelesen|am meisten gelesen|beliebte artikel)", r"(?:auch|mehr) interessant", r"lesen sie auch",
               r"neueste (?:beiträge|artikel)", r"themen", r"kategorien",
               r"meistgelesene?(?: (?:artikel|beiträge|nachrichten|news))?", r"mehr zum thema(?: auf [\w.-]{1,40})?",
               r"weitere (?:nachrichten|meldungen|news)(?: zu(?:m thema)?)?", r"das (?:könnte|dürfte) dich auch interessieren",  # noqa: E501 (one phrase table row)
               r"(?:top-?themen|empfehlungen der redaktion|mehr aus dem ressort|aktuelle (?:artikel|beiträge))"],
        "fr": [r"articles (?:similaires|liés|connexes)", r"(?:à lire aussi|lire aussi|sur le même sujet)",
               r"(?:les plus lus|populaires)", r"vous aimerez aussi", r"derniers articles", r"catégories"],
        "es": [r"(?:artículos|noticias|notas) relacionad[oa]s", r"te puede interesar", r"vea también", r"(?:lee|lea) también", r"(?:lo más leído|más leídas?)",  # noqa: E501 (one phrase table row)
               r"también te puede gustar", r"entradas recientes", r"categorías"],
        "pt": [r"(?:artigos|notícias|posts) relacionad[oa]s", r"veja também", r"(?:mais lidas?|mais populares)",
               r"você também pode gostar", r"posts recentes", r"categorias"],
        "it": [r"articoli correlati", r"potrebbe interessarti", r"(?:i )?più lett[ie]", r"leggi anche",
               r"articoli recenti", r"categorie"],
        "nl": [r"gerelateerde (?:artikelen|berichten)", r"(?:meest gelezen|populair)", r"lees ook", r"recente berichten",  # noqa: E501 (one phrase table row)
               r"categorieën"],
        "ru": [r"похожие (?:статьи|записи|новости)", r"читайте также", r"(?:самое )?популярное", r"рекомендуем",
               r"последние (?:записи|новости)", r"рубрики"],
        "zh": [r"相关(?:文章|新闻|阅读|推荐)", r"(?:热门|推荐)(?:文章|阅读)", r"猜你喜欢", r"最新文章", r"延伸阅读"],
        "ja": [r"関連(?:記事|ニュース)", r"(?:人気|おすすめ)(?:の)?記事", r"こちらの記事もおすすめ", r"最新記事",
               r"カテゴリー"],
    },
    examples=["Related Articles", "You may also like", "Most Popular", "Ähnliche Artikel", "À lire aussi",
              "Te puede interesar", "Veja também", "Articoli correlati", "Lees ook", "Читайте также", "相关文章",
              "関連記事", "Meistgelesene Artikel", "Mehr zum Thema auf Example.de:", "Latest on:", "Vea también"],
    keeps=["Related charges were dropped by the prosecutor on Friday after the key witness withdrew."],
)

PAGINATION = phrase_rule(
    code="B042",
    name="pagination",
    summary="Pagination links: page numbers, previous/next, older/newer posts.",
    why="Pagination leads to other pages of a list or article; it is not text.",
    anchor="line",
    max_words=14,
    phrases={
        "*": [r"(?:\d{1,3}(?: ?[|·] ?| )){2,15}\d{1,3}(?: ?[.…]{1,3} ?\d{1,4})? ?(?:next|nächste|suivant|siguiente|próxima|successiva|volgende|далее)?",  # noqa: E501 (one phrase table row)
              r"[«‹<←]\s*\d{0,4}", r"\d{0,4}\s*[»›>→]"],
        "en": [r"page \d{1,4}(?: of \d{1,4})?", r"(?:« ?)?(?:previous|prev|next|older|newer)(?: (?:page|post|entries|entry|"  # noqa: E501 (one phrase table row)
               r"posts|articles?|story|slide))?(?: ?»)?", r"(?:first|last) page", r"(?:previous|next) (?:\w+ ){0,2}\W*(?:next|previous)"],  # noqa: E501 (one phrase table row)
        "de": [r"seite \d{1,4}(?: von \d{1,4})?", r"(?:vorherige|nächste|vorige|weiter|zurück)(?: seite| beitrag| artikel)?",  # noqa: E501 (one phrase table row)
               r"ältere (?:beiträge|einträge)", r"neuere (?:beiträge|einträge)"],
        "fr": [r"page \d{1,4}(?: sur \d{1,4})?", r"(?:page |article )?(?:précédente?|suivante?)", r"articles plus (?:anciens|récents)"],  # noqa: E501 (one phrase table row)
        "es": [r"página \d{1,4}(?: de \d{1,4})?", r"(?:página |entrada )?(?:anterior|siguiente)", r"entradas (?:anteriores|más recientes)"],  # noqa: E501 (one phrase table row)
        "pt": [r"página \d{1,4}(?: de \d{1,4})?", r"(?:página |post )?(?:anterior|próxim[ao])(?: página)?", r"posts mais (?:antigos|recentes)"],  # noqa: E501 (one phrase table row)
        "it": [r"pagina \d{1,4}(?: di \d{1,4})?", r"(?:pagina |articolo )?(?:precedente|successiv[ao])",
               r"articoli (?:precedenti|successivi)"],
        "nl": [r"pagina \d{1,4}(?: van \d{1,4})?", r"(?:vorige|volgende)(?: pagina| bericht)?", r"oudere berichten"],
        "ru": [r"страница \d{1,4}(?: из \d{1,4})?", r"(?:предыдущая|следующая)(?: страница| запись)?", r"(?:назад|вперед|вперёд)"],  # noqa: E501 (one phrase table row)
        "zh": [r"第\s*\d{1,4}\s*页", r"(?:上一?|下一?)(?:页|篇)", r"首页", r"尾页"],
        "ja": [r"\d{1,4}\s*ページ目?", r"(?:前|次)の(?:ページ|記事)", r"(?:前|次)へ"],
    },
    examples=["1 2 3 4 5 Next", "« Previous", "Next »", "Page 2 of 7", "Seite 1 von 3", "Page suivante",
              "Página siguiente", "Próxima página", "Pagina successiva", "Volgende pagina", "Следующая страница",
              "下一页", "次のページ"],
    keeps=["Next year the festival moves to the old harbour, the organisers announced on Monday."],
)

BREADCRUMB = phrase_rule(
    code="B043",
    name="breadcrumb",
    summary="Breadcrumb trails: 'You are here: Home > News > …', 'Home » Sport'.",
    why="A breadcrumb locates the page in the site's tree; it repeats section names, not content.",
    anchor="start",
    max_words=30,
    phrases={
        "*": [r"[^\W\d_][\w .&'’-]{0,29}(?: ?[>»›/→] ?[^\W\d_][\w .&'’-]{0,39}){2,10}$"],
        "en": [r"you are here\s*:?", r"home\s*[>»›/|→]"],
        "de": [r"sie sind hier\s*:?", r"startseite\s*[>»›/|→]"],
        "fr": [r"vous êtes ici\s*:?", r"accueil\s*[>»›/|→]"],
        "es": [r"(?:usted )?está (?:aquí|en)\s*:", r"inicio\s*[>»›/|→]"],
        "pt": [r"você está (?:aqui|em)\s*:", r"início\s*[>»›/|→]"],
        "it": [r"ti trovi (?:qui|in)\s*:", r"home\s*[>»›/|→]"],
        "nl": [r"u bent hier\s*:?", r"je bent hier\s*:?"],
        "ru": [r"вы здесь\s*:?", r"главная\s*[>»›/|→]"],
        "zh": [r"(?:当前|您的)位置\s*[:：]", r"首页\s*[>»›/|→]"],
        "ja": [r"現在(?:の)?位置\s*[:：]", r"(?:ホーム|トップ)\s*[>»›/|→]"],
    },
    examples=["You are here: Home > News > Sports > Cricket > Article", "Home » Sport » Football", "Sie sind hier: Startseite",  # noqa: E501 (one phrase table row)
              "Accueil > Actualités > Monde", "Inicio › Deportes › Fútbol", "Главная / Новости / Спорт", "首页 > 新闻 > 国际",  # noqa: E501 (wide characters)
              "ホーム > ニュース > 国際"],
    keeps=["Prices rose 3/4 of a point, then fell back to where they started > before lunch, traders said."],
)

TAG_LIST = phrase_rule(
    code="B044",
    name="tag-list",
    summary="Tag, category and 'filed under' lines.",
    why="Taxonomy lines list the site's labels for the page; they are metadata, not text.",
    anchor="start",
    max_words=40,
    phrases={
        "en": [r"(?:tags?|tagged(?: with)?|topics?|categor(?:y|ies)|filed under|labels?|keywords?|posted in)\s*[:：|]",
               r"(?:tags?|topics|filed under)\s*$"],
        "de": [r"(?:schlagw(?:ö|o)rt(?:er|e)?|stichw(?:ö|o)rt(?:er|e)?|kategorien?|themen|tags?)\s*[:：]"],
        "fr": [r"(?:étiquettes?|mots[- ]clés?|catégories?|thèmes?|tags?)\s*[:：]"],
        "es": [r"(?:etiquetas?|categorías?|temas?|palabras clave)\s*[:：]"],
        "pt": [r"(?:etiquetas?|categorias?|temas?|tags?|palavras-chave)\s*[:：]"],
        "it": [r"(?:tag|categori[ae]|argomenti|parole chiave)\s*[:：]"],
        "nl": [r"(?:tags?|categorieën?|trefwoorden|onderwerpen)\s*[:：]"],
        "ru": [r"(?:метки|теги|рубрик[аи]|ключевые слова|темы)\s*[:：]"],
        "zh": [r"(?:标签|分类|关键词|关键字)\s*[:：]"],
        "ja": [r"(?:タグ|カテゴリー?|キーワード)\s*[:：]"],
    },
    examples=["Tags: rivers, floods, weather", "Filed Under: Economy, Jobs, Taxes", "Schlagwörter: Hochwasser, Rhein",
              "Étiquettes : crue, Seine", "Etiquetas: río, inundación", "Метки: река, паводок", "标签：河流，洪水", "タグ: 洪水"],  # noqa: E501 (wide characters)
    keeps=["Tags on the collars of the released birds will help researchers follow their migration."],
)

NAVIGATION_RULES: tuple[Rule, ...] = (READ_MORE, RELATED_HEADING, PAGINATION, BREADCRUMB, TAG_LIST)
