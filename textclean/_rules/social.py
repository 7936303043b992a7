"""Social furniture: share and follow buttons, newsletter prompts, rating widgets (``B03x``)."""

from __future__ import annotations

from textclean._rule import Rule
from textclean._rules._build import phrase_rule

__all__ = ["SOCIAL_RULES"]

_NETWORKS = (
    r"facebook|twitter|x|linkedin|pinterest|reddit|whatsapp|telegram|tumblr|digg|del\.icio\.us|delicious|"
    r"stumbleupon|google\+?|mixx|newsvine|my ?web|buffer|pocket|flipboard|xing|vk|vkontakte|weibo|wechat|line|"
    r"hatena|email|e-mail|mail|print|sms|messenger|instagram|youtube|rss|share|tweet|like|pin it|more"
)

_SHARE_VERBS = (
    r"share|sharing|teilen|partager|compartir|compartilhar|partilhar|condividi|delen|deel|поделиться|分享|シェア"
)

SHARE_BUTTONS = phrase_rule(
    code="B030",
    name="share-buttons",
    summary="Share, print and e-mail buttons, and lines made only of social network names.",
    why="Button labels survive scraping as short lines between or after paragraphs; they carry no content.",
    anchor="line",
    max_words=14,
    phrases={
        # a row of share targets, short ones ("X", "VK") included, optionally after "Share this:" / "Teilen:"
        "*": [rf"(?:(?:{_NETWORKS})\b[\W_]*){{1,12}}",
              rf"(?:{_SHARE_VERBS})(?: (?:this|it|on|via|article|story|post|page))?\s*[:|-]\W{{0,3}}(?:(?:{_NETWORKS})\b[\W_]*){{1,12}}"],  # noqa: E501 (one phrase table row)
        "en": [r"share(?: (?:this|on \w+|via \w+|the story|this (?:page|story|article|post)(?: with friends)?|"
               r"it|article))?", r"(?:e-?mail|print|save|send)(?: (?:this|to a friend|article|page|story))?",
               r"tweet(?: this)?", r"share this (?:page|story|article|post)(?: (?:pin it|tweet|e-?mail|print))+", r"share this:?", r"click to (?:share|email|print)\b.{0,40}",  # noqa: E501 (one phrase table row)
               r"(?:e-?mail|print)(?: \| (?:e-?mail|print|share))+", r"recommend(?: this)?", r"bookmark(?: this)?",
               r"like this:?", r"text size", r"\[-\] text \[\+\]", r"a ?a ?a", r"font size\W*"],
        "de": [r"teilen(?: auf \w+)?", r"(?:artikel )?(?:drucken|versenden|empfehlen|merken)", r"per e-?mail (?:senden|teilen)",  # noqa: E501 (one phrase table row)
               r"diesen artikel (?:teilen|drucken|versenden)"],
        "fr": [r"partager(?: sur \w+| cet article)?", r"imprimer(?: l['’]article)?", r"envoyer(?: à un ami)?"],
        "es": [r"compartir(?: en \w+| este artículo)?", r"imprimir", r"enviar(?: por (?:correo|email))?"],
        "pt": [r"compartilh(?:ar|e)(?: no \w+)?", r"partilhar", r"imprimir", r"enviar por e-?mail"],
        "it": [r"condividi(?: su \w+)?", r"stampa(?: articolo)?", r"invia(?: per email)?"],
        "nl": [r"del(?:en|en via \w+)", r"print(?: artikel)?", r"mail(?: artikel)?", r"deel (?:dit|op \w+)"],
        "ru": [r"поделиться(?: в \w+)?", r"распечатать", r"печать", r"отправить(?: по почте)?"],
        "zh": [r"分享(?:到\S{0,6})?", r"打印", r"转发", r"收藏"],
        "ja": [r"シェア(?:する)?", r"ツイート", r"はてなブックマーク", r"印刷", r"いいね[!！]?"],
    },
    examples=["Share this page Pin It", "Facebook Twitter Email", "Email | Print |", "Share on Facebook", "Teilen",
              "Partager", "Compartir", "Condividi", "Поделиться", "分享到微博", "ツイート", "[-] Text [+]",
              "Share this: Facebook | X | Email | Print", "Teilen: Facebook | X | WhatsApp | E-Mail",
              "Partager : Facebook · X · LinkedIn"],
    keeps=["Share prices fell sharply after the company warned that profits would halve this year.",
           "Share this: the council will publish its plan for the harbour on Friday."],
)

SOCIAL_FOLLOW = phrase_rule(
    code="B031",
    name="social-follow",
    summary="'Follow us' and 'like us on' prompts.",
    why="Calls to follow the site elsewhere are promotion, not content.",
    anchor="start",
    max_words=16,
    phrases={
        "en": [r"follow (?:us|me)\b", r"like us on ", r"connect with us", r"find us on ", r"join us on ",
               r"follow [\w .]{1,40} on (?:twitter|facebook|instagram|x)\b"],
        "de": [r"folgen sie uns", r"folge uns", r"besuchen sie uns auf ", r"werden sie fan"],
        "fr": [r"suivez-nous", r"retrouvez-nous sur ", r"rejoignez-nous sur "],
        "es": [r"síguenos", r"siguenos", r"síganos", r"únete a nosotros en "],
        "pt": [r"siga-nos", r"siga a gente", r"curta nossa página"],
        "it": [r"seguici", r"seguiteci", r"segui(?:teci)? su "],
        "nl": [r"volg ons", r"volg \w+ op "],
        "ru": [r"подписывайтесь на (?:нас|наш)", r"мы в (?:соцсетях|социальных сетях)", r"присоединяйтесь к нам"],
        "zh": [r"关注我们", r"扫码关注", r"微信公众号"],
        "ja": [r"フォローする", r"(?:公式)?(?:ツイッター|twitter|x)をフォロー", r"友だち追加"],
    },
    examples=["Follow us on Twitter", "Folgen Sie uns auf Facebook", "Suivez-nous", "Síguenos en Instagram",
              "Seguici su Facebook", "Volg ons", "Подписывайтесь на нас", "关注我们", "フォローする"],
    keeps=["Follow the river north for two miles and you will reach the old mill."],
)

NEWSLETTER_PROMPT = phrase_rule(
    code="B032",
    name="newsletter-prompt",
    summary="Newsletter and subscription prompts.",
    why="Sign-up prompts are the site talking to the reader, not the document.",
    anchor="start",
    max_words=30,
    phrases={
        "en": [r"(?:sign up|subscribe) (?:for|to) (?:our|the|my) (?:\w+ ){0,2}(?:newsletter|e-?mails?|updates|alerts)",
               r"\benter your e-?mail(?: address)?\b", r"get (?:the|our) (?:\w+ ){0,2}newsletter",
               r"\bdelivered (?:straight )?to your inbox", r"(?:free )?newsletter(?: sign-?up)?\W*$",
               r"\bsubscribe to (?:our )?(?:rss|feed|newsletter|this blog)"],
        "de": [r"newsletter (?:abonnieren|bestellen|anmelden)", r"\bmelden sie sich (?:jetzt )?für (?:unseren|den) newsletter",  # noqa: E501 (one phrase table row)
               r"\bihre e-?mail-?adresse\b.{0,30}\b(?:eingeben|abonnieren)", r"jetzt (?:abonnieren|anmelden)"],
        "fr": [r"\babonnez-vous à (?:notre|la) newsletter", r"\binscrivez-vous à (?:notre|la) newsletter",
               r"recevez (?:notre|la) newsletter", r"\bvotre adresse e-?mail\b.{0,20}\binscri"],
        "es": [r"\bsuscr[ií]b(?:e|ete|ase) a (?:nuestro|nuestra|el|la) (?:boletín|newsletter)", r"\brecibe (?:nuestro|el) boletín",  # noqa: E501 (one phrase table row)
               r"\bintroduce tu (?:correo|email)"],
        "pt": [r"\bassine (?:a nossa|nossa|a) newsletter", r"\binscreva-se (?:na|em nossa) newsletter",
               r"\bdigite seu e-?mail"],
        "it": [r"\biscriviti alla (?:nostra )?newsletter", r"\binserisci (?:la tua|il tuo) (?:e-?mail|indirizzo)"],
        "nl": [r"\bschrijf je in (?:voor|op) (?:onze|de) nieuwsbrief", r"\bmeld je aan voor (?:onze|de) nieuwsbrief",
               r"nieuwsbrief\W*$"],
        "ru": [r"\bподпишитесь на (?:нашу )?рассылку", r"\bподписаться на (?:рассылку|новости)", r"\bвведите ваш e-?mail"],  # noqa: E501 (one phrase table row)
        "zh": [r"订阅(?:我们的)?(?:新闻|邮件|电子报)", r"输入(?:您的)?邮箱"],
        "ja": [r"メール(?:マガジン|マガ)(?:登録|購読)", r"ニュースレター(?:登録|を購読)"],
    },
    examples=["Sign up for our daily newsletter", "Enter your email address", "Newsletter abonnieren",
              "Abonnez-vous à notre newsletter", "Suscríbete a nuestro boletín", "Iscriviti alla newsletter",
              "Подпишитесь на рассылку", "订阅我们的新闻", "メールマガジン登録"],
    keeps=["The newsletter she founded in 1998 grew into the region's most read weekly paper."],
)

RATING_WIDGET = phrase_rule(
    code="B033",
    name="rating-widget",
    summary="Ratings, votes, likes and 'was this helpful' widgets.",
    why="Vote counters and rating prompts are interactive furniture.",
    anchor="line",
    max_words=10,
    phrases={
        "*": [r"\(?\d+ (?:votes?|ratings?|likes?|stimmen|bewertungen|votos|votes|voti|stemmen|голос\w*)\)?",
              r"[★☆✩✪⭐]{1,10}.{0,20}"],
        "en": [r"rate this(?: article| post| story)?:?", r"was this (?:article |page )?(?:helpful|useful)\??(?: yes no)?",  # noqa: E501 (one phrase table row)
               r"(?:average )?rating:? .{0,20}", r"(?:be the first to )?like this\.?", r"loading\.\.\. like"],
        "de": [r"(?:artikel )?bewerten:?", r"war (?:dieser artikel|diese seite) hilfreich\??"],
        "fr": [r"noter cet article", r"cet article vous a-t-il été utile ?\??"],
        "es": [r"valora (?:este artículo|esta noticia)", r"¿te ha resultado útil\?"],
        "pt": [r"avalie (?:este artigo|esta notícia)", r"este artigo foi útil\??"],
        "it": [r"vota (?:questo articolo|l['’]articolo)", r"ti è stato utile\??"],
        "nl": [r"beoordeel dit artikel", r"was dit (?:artikel )?nuttig\??"],
        "ru": [r"оцените (?:статью|материал)", r"рейтинг:? .{0,20}"],
        "zh": [r"评分\s*[:：]?.{0,10}", r"点赞"],
        "ja": [r"評価する", r"この記事は役に立ちましたか[?？]?"],
    },
    examples=["Rate this:", "(12 votes)", "Was this article helpful? Yes No", "Artikel bewerten", "★★★★☆",
              "Оцените статью", "この記事は役に立ちましたか？"],
    keeps=["Rate rises are expected to continue until inflation falls back to target."],
)

SOCIAL_RULES: tuple[Rule, ...] = (SHARE_BUTTONS, SOCIAL_FOLLOW, NEWSLETTER_PROMPT, RATING_WIDGET)
