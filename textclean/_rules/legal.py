"""Legal and footer furniture: cookie notices, copyright lines, footer links (``B02x``)."""

from __future__ import annotations

from textclean._rule import Rule
from textclean._rules._build import phrase_rule

__all__ = ["LEGAL_RULES"]

COOKIE_NOTICE = phrase_rule(
    code="B020",
    name="cookie-notice",
    summary="Cookie banners and consent notices.",
    why="Consent banners are legal machinery shown on every page of a site.",
    anchor="start",
    max_words=80,
    phrases={
        "en": [r"(?:we|this (?:web)?site|our (?:web)?site) (?:uses?|is using) cookies\b", r"cookies help us\b", r"\baccept (?:all )?cookies\b",  # noqa: E501 (one phrase table row)
               r"\bcookie (?:policy|settings|preferences|consent)\b", r"\buse of cookies\b",
               r"\bby (?:continuing|using) (?:to (?:use|browse) )?(?:this|our) (?:web)?site,? you (?:agree|consent|accept)"],  # noqa: E501 (one phrase table row)
        "de": [r"\b(?:diese|unsere) (?:website|webseite|seite|internetseite) (?:verwendet|nutzt) cookies", r"\bwir (?:verwenden|nutzen) cookies",  # noqa: E501 (one phrase table row)
               r"\bcookie-?(?:einstellungen|richtlinie|hinweis)", r"\bcookies (?:akzeptieren|zulassen)",
               r"\bdatenschutzeinstellungen\b"],
        "fr": [r"\bce site (?:web )?utilise des cookies", r"\bnous utilisons des cookies", r"\baccepter (?:les|tous les) cookies",  # noqa: E501 (one phrase table row)
               r"\bpolitique (?:de|relative aux) cookies", r"\bgestion des cookies"],
        "es": [r"\beste (?:sitio|sitio web|portal) utiliza cookies", r"\butilizamos cookies", r"\baceptar (?:las |todas las )?cookies",  # noqa: E501 (one phrase table row)
               r"\bpolítica de cookies"],
        "pt": [r"\beste site (?:usa|utiliza) cookies", r"\b(?:usamos|utilizamos) cookies", r"\baceitar (?:os )?cookies",
               r"\bpolítica de cookies"],
        "it": [r"\bquesto sito (?:web )?(?:utilizza|usa) (?:i )?cookie", r"\butilizziamo (?:i )?cookie",
               r"\baccetta(?:re)? (?:i |tutti i )?cookie", r"\bcookie policy\b", r"\binformativa (?:sui|estesa sui) cookie"],  # noqa: E501 (one phrase table row)
        "nl": [r"\bdeze (?:web)?site (?:gebruikt|maakt gebruik van) cookies", r"\bwij gebruiken cookies",
               r"\bcookies accepteren", r"\bcookiebeleid", r"\bcookie-?instellingen"],
        "ru": [r"\b(?:мы используем|сайт использует) (?:файлы )?cookie", r"\bиспользовани\w+ (?:файлов )?cookie",
               r"\bпринять (?:все )?cookie"],
        "zh": [r"(?:本网站|我们)使用\s*cookies?", r"接受\s*cookies?", r"cookie\s*政策"],
        "ja": [r".{0,12}?(?:クッキー|cookie)を(?:使用|利用)", r"(?:クッキー|cookie)ポリシー", r"(?:クッキー|cookie)に同意"],  # noqa: E501 (wide characters)
    },
    examples=[
        "This website uses cookies to improve your experience. Accept",
        "Diese Website verwendet Cookies. Mehr erfahren",
        "Ce site utilise des cookies pour améliorer votre expérience.",
        "Este sitio web utiliza cookies propias y de terceros.",
        "Мы используем файлы cookie.",
        "本网站使用cookies以改善体验。",
        "当サイトではクッキーを使用しています。",
    ],
    keeps=["The bakery sold four hundred cookies before noon, a record for the small shop on Elm Street."],
)

COPYRIGHT_LINE = phrase_rule(
    code="B021",
    name="copyright-line",
    summary="Copyright and 'all rights reserved' footer lines.",
    why="The site's copyright line closes every page; it is not part of the document.",
    anchor="any",
    max_words=40,
    phrases={
        "*": [r"^\W{0,3}©\s*\w", r"^\W{0,3}copyright\s*(?:©|\(c\)|\d{4}|by\b)", r"©\s*\d{4}", r"\(c\)\s*(?:19|20)\d\d"],
        "en": [r"\ball rights reserved\b", r"\bsome rights reserved\b", r"\bunauthori[sz]ed (?:use|reproduction)"],
        "de": [r"\balle rechte vorbehalten\b"],
        "fr": [r"\btous droits réservés\b"],
        "es": [r"\btodos los derechos reservados\b"],
        "pt": [r"\btodos os direitos reservados\b"],
        "it": [r"\btutti i diritti riservati\b", r"\briproduzione riservata\b"],
        "nl": [r"\balle rechten voorbehouden\b"],
        "ru": [r"\bвсе права защищены\b", r"\bперепечатка .{0,40}запрещена"],
        "zh": [r"版权所有", r"版權所有", r"未经授权.{0,10}转载"],
        "ja": [r"無断転載", r"著作権は.{1,30}に帰属", r"all rights reserved"],
    },
    examples=["© 2024 Riverside News. All rights reserved.", "Copyright 2008 Example Corp", "Alle Rechte vorbehalten.",
              "Tous droits réservés", "Todos los derechos reservados.", "Все права защищены.", "版权所有 © 2024",
              "無断転載を禁じます。"],
    keeps=["Copyright law in the country protects works for seventy years after the death of the author."],
)

FOOTER_LINKS = phrase_rule(
    code="B022",
    name="footer-links",
    summary="Footer links: privacy, terms, imprint, contact, sitemap, about us.",
    why="Legal and contact links sit in every page's footer.",
    anchor="line",
    max_words=8,
    phrases={
        "en": [r"privacy(?: policy| statement| notice)?", r"terms(?: of (?:use|service))?(?: (?:and|&) conditions)?",
               r"terms (?:and|&) conditions", r"contact(?: us)?", r"about(?: us)?", r"site ?map", r"imprint",
               r"legal(?: notice)?", r"disclaimer", r"advertise(?: with us)?", r"careers", r"faqs?", r"help",
               r"accessibility", r"rss(?: feeds?)?", r"home(?: ?page)?", r"top", r"more"],
        "de": [r"impressum", r"datenschutz(?:erklärung)?", r"kontakt", r"agb", r"nutzungsbedingungen", r"über uns",
               r"startseite", r"mediadaten", r"hilfe", r"mehr"],
        "fr": [r"mentions légales", r"(?:politique de )?confidentialité", r"contact(?:ez-nous)?", r"plan du site",
               r"cgu", r"conditions générales(?: d['’]utilisation)?", r"qui sommes-nous ?\??", r"accueil", r"à propos"],
        "es": [r"aviso legal", r"política de privacidad", r"contacto", r"mapa del sitio", r"quiénes somos",
               r"inicio", r"términos y condiciones", r"acerca de"],
        "pt": [r"política de privacidade", r"termos de uso", r"contato", r"fale conosco", r"mapa do site",
               r"quem somos", r"início", r"sobre(?: nós)?"],
        "it": [r"note legali", r"(?:informativa )?privacy", r"contatti", r"mappa del sito", r"chi siamo", r"home",
               r"termini e condizioni"],
        "nl": [r"privacy(?:beleid|verklaring)", r"contact", r"disclaimer", r"over ons", r"sitemap",
               r"algemene voorwaarden"],
        "ru": [r"политика конфиденциальности", r"контакты", r"о (?:нас|проекте|компании)", r"карта сайта",
               r"главная", r"пользовательское соглашение"],
        "zh": [r"隐私(?:政策|条款)", r"联系我们", r"关于我们", r"网站地图", r"首页", r"免责声明"],
        "ja": [r"プライバシーポリシー", r"お問い合わせ", r"会社概要", r"サイトマップ", r"ホーム", r"利用規約",
               r"免責事項"],
    },
    mode="balanced",
    examples=["Privacy Policy", "Terms of Use", "Impressum", "Mentions légales", "Aviso legal", "Política de privacidade",  # noqa: E501 (one phrase table row)
              "Note legali", "Privacybeleid", "Политика конфиденциальности", "隐私政策", "プライバシーポリシー"],
    keeps=["Contact with the crew was lost shortly after midnight, the coast guard said."],
)

DISCLAIMER = phrase_rule(
    code="B023",
    name="disclaimer",
    summary="Site disclaimers: 'the views expressed here are the author's own', 'for personal, non-commercial use'.",
    why=(
        "Blogs and news sites close their pages with standing legal notices about whose opinions these are, "
        "warranties and reprint terms; the same notice stands under every article, so it is not the article."
    ),
    anchor="any",
    max_words=150,
    mode="balanced",
    phrases={
        "en": [r"^\W{0,3}disclaimer\s*:",
               # not "in this article": an article's own note on its author belongs to the article
               r"\bthe (?:views|opinions)(?: and opinions| and views)? expressed (?:here(?:in|on)?\b|"
               r"on this (?:site|blog|website|page)|by (?:the )?(?:commenters?|bloggers?))",
               # one long word every match holds, for each alternative: the matcher's screen looks for it
               r"\bfor (?:your )?personal,? non-?commercial use only",
               r"\bprovided (?:on an )?[\"“'‘]{0,2}as[- ]is\b", r"\bdistributed (?:on an )?[\"“'‘]{0,2}as[- ]is\b",
               r"\bdo(?:es)? not necessarily (?:reflect|represent) the (?:views|opinions|position|official policy)"],
        "de": [r"^\W{0,3}haftungsausschluss\s*:", r"\bdie (?:hier )?(?:geäußerten|veröffentlichten|wiedergegebenen) "
               r"meinungen", r"\b(?:gibt|geben) nicht (?:unbedingt|notwendigerweise|zwingend) die meinung"],
        "fr": [r"^\W{0,3}avertissement\s*:", r"\bles opinions (?:exprimées|tenues)", r"\bles propos (?:exprimés|tenus)",
               r"\bles points de vue exprimés", r"\bn['’]engagent que (?:leurs?|son|ses) auteurs?"],
        "es": [r"\blas opiniones expresadas", r"\bno (?:reflejan|representan) necesariamente (?:la|el|las|los)"],
        "pt": [r"\bas opiniões expressas", r"\bnão (?:refletem|representam) necessariamente (?:a|o|as|os)"],
        "it": [r"\ble opinioni espresse", r"\bnon (?:riflettono|rappresentano) necessariamente (?:la|il|le|i)"],
        "nl": [r"\bde (?:hier )?geuite meningen", r"\bvertegenwoordigen niet (?:noodzakelijk(?:erwijs)?|per se)"],
        "ru": [r"\bмнение (?:редакции|автора) (?:может )?не совпада(?:ть|ет)",
               r"\bточка зрения (?:редакции|автора) (?:может )?не совпада(?:ть|ет)"],
        "zh": [r"(?:仅|只)代表作者(?:本人|个人)?(?:的)?(?:观点|立场)",
               r"(?:不|并不)代表本(?:网|站|报|刊)(?:的)?(?:观点|立场)"],
        "ja": [r"^\W{0,3}免責事項\s*[:：]", r"(?:個人的|筆者個人)(?:な|の)?(?:見解|意見)であり"],
    },
    examples=["Disclaimer: the author holds no position in any of the stocks mentioned.",
              "The views expressed here are my own and do not represent my employer.",
              "The opinions expressed on this site are those of the authors alone.",
              "This copy is for your personal, non-commercial use only.",
              "The information on this blog is distributed on an \"as is\" basis, without warranty of any kind.",
              "Die hier geäußerten Meinungen sind die der Autoren.",
              "Les opinions exprimées n'engagent que leurs auteurs.",
              "Las opiniones expresadas son responsabilidad exclusiva de sus autores.",
              "As opiniões expressas neste blog são de responsabilidade dos autores.",
              "Le opinioni espresse sono personali.", "De hier geuite meningen zijn die van de auteur.",
              "Мнение редакции может не совпадать с мнением автора.", "本文仅代表作者本人观点。",
              "免責事項：当サイトの情報の正確性は保証しません。"],
    keeps=["The views expressed at the town meeting were mixed, and the council promised a second vote in May.",
           "Critics said the report does not reflect the views of most residents, who want the bridge rebuilt."],
)

LEGAL_RULES: tuple[Rule, ...] = (COOKIE_NOTICE, COPYRIGHT_LINE, FOOTER_LINKS, DISCLAIMER)
