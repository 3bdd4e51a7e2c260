"""Saved HTML article pages → one ArticleRecord (with "Similar / Related articles" stubs).

trafilatura finds the main text and the metadata (title, date via htmldate, author,
site name, categories); this module only maps its output onto ArticleRecord:

- body: trafilatura's main-text tree, serialised block by block (every block element
  and every line break starts a new paragraph, paragraphs joined by a blank line, so
  "<h1>Armenia</h1><p>Azerbaijan…" never becomes "ArmeniaAzerbaijan"; shared case C14),
  then short boilerplate paragraphs ("Continue reading…", "Share", "Comments (3)",
  cookie notices …) are dropped. When trafilatura finds no main text the page's
  <article>/<main>/<body> is serialised the same way after removing navigation,
  headers, footers, forms and elements whose class/id names boilerplate.
- url: <link rel="canonical">, else <meta property="og:url">, else trafilatura's.
- published_at: trafilatura (htmldate: meta tags, JSON-LD, <time>, URL) as the page's
  own local date and time ('YYYY-MM-DD HH:MM', or 'YYYY-MM-DD' when the page gives no
  time; case C18); when htmldate gives a bare day (it prefers a date in the URL) the
  page's own publication meta / <time datetime> of that day adds the time. Without a
  trafilatura date, the page's <time datetime=…>. No date → None with a date_note.
- section: trafilatura's first category, else article:section / og:article:section /
  <meta name="section">.
- similar: the entries of a block under a heading such as "Related articles",
  "Similar articles", "More on this story" (SIMILAR_HEADING): each link with a
  headline becomes a stub ArticleRecord (title, date, lead; its link in extra["link"]).
  The block is removed from the page before the main text is extracted.

Encodings: the file was decoded before it reaches `parse` (encoding.decode:
UTF-8, else charset-normalizer). `repair_charset` re-decodes text whose declared
<meta charset> / XML encoding it cannot be written in (a wrong guess of a
Windows-1251 page, say).
"""
from __future__ import annotations

import codecs
import copy
import itertools
import logging
import re
from datetime import datetime
from typing import Iterator
from urllib.parse import urljoin

import lxml.etree
import lxml.html

from dashboard.analysis.textnorm import clean_line
from .dateline import is_dateline, parse_published
from .records import ArticleRecord, FileError

HTML_EXTS = {".html", ".htm", ".xhtml"}
MAX_TITLE = 400
# trafilatura's own MIN_EXTRACTED_SIZE default (settings.cfg): below it the precision mode's text is
# not trusted and the balanced mode is used.
MIN_PRECISION_CHARS = 250
MAX_STUB_TITLE = 300

# Authors trafilatura must ignore: placeholders of sign-in widgets and CMS defaults
# (wapo-2 in shared/data/mozilla__readability yields "Username" from its login menu).
AUTHOR_BLACKLIST = {"username", "user name", "admin", "administrator", "anonymous", "guest", "user",
                    "unknown", "author", "editor", "webmaster", "staff"}

# Elements whose text never reaches a body (HTML parser output, lower-case tags).
SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
             "canvas", "video", "audio", "head", "title", "meta", "link", "select", "option",
             "textarea", "button", "input", "map"}
# HTML block-level elements (WHATWG "flow content" that starts a new line when rendered).
HTML_BLOCKS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
               "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
               "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
               "listing", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
               "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "xmp", "img"}
# trafilatura's output elements (its XML-TEI-like tree: head = heading, list/item, quote, row/cell, lb).
TRAFILATURA_BLOCKS = {"body", "doc", "main", "p", "head", "list", "item", "quote", "table", "row", "cell",
                      "code", "graphic", "div", "comments"}
BREAK_TAGS = {"br", "lb"}
SOFT_HYPHEN = "\u00ad"

# Headings that open an editorial "similar articles" block (en, ru, be, uk, pl, de, lt): pagetext's
# SIMILAR_HEADINGS plus the headings of shared/data's pages ("Related Coverage", "More on this story").
SIMILAR_HEADING = re.compile(
    r"^\s*(?:(?:similar|related|recommended|more)\s+(?:articles|stories|posts|news|coverage|content|reading|links)"
    r"|similar|related|see also|read also|also read|more on this (?:story|topic)|related to this story"
    r"|похожие\s+(?:статьи|материалы|новости)|читайте\s+также|смотрите\s+также|по\s+теме|другие\s+новости\s+по\s+теме"
    r"|чытайце\s+таксама|падобныя\s+матэрыялы|читайте\s+також|схожі\s+(?:статті|матеріали)"
    r"|czytaj\s+(?:także|też)|podobne\s+artykuły|zobacz\s+też|ähnliche\s+artikel|mehr\s+zum\s+thema"
    r"|taip\s+pat\s+skaitykite|panašūs\s+straipsniai)\s*[:.]?\s*$",
    re.IGNORECASE)
# A related entry is a headline, a date and at most a lead paragraph: more text than this per
# headline link (our choice; the leads of shared/data's related blocks are under 300) is article text.
PROSE_CHARS_PER_LINK = 600
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HEADING_LIKE_TAGS = HEADING_TAGS | {"div", "p", "span", "strong", "b", "header", "dt", "summary", "legend"}

# Short paragraphs that are page furniture, not article text (our list: the furniture of shared/data's
# pages and feeds — "Continue reading…", "Related: …", "From the section …" — and common CMS widgets).
# Matched against the whole paragraph (case-insensitive); only paragraphs of at most BOILERPLATE_MAX_LEN
# characters, so a sentence that merely starts with "Share" or "Comment" is kept.
BOILERPLATE_MAX_LEN = 200
_SOCIAL = r"(?:share|tweet|email|e-mail|print|facebook|twitter|x|whatsapp|telegram|linkedin|pinterest|reddit|vk|viber|messenger|copy link|flipboard|pocket)"
BOILERPLATE = re.compile(
    r"^(?:"
    r"continue reading(?: the main story| on .*)?|read (?:more|the full (?:story|article)|the rest of (?:the|this) (?:story|article)|next)"
    r"|(?:show|hide|view|load|open|join the|jump to) (?:the )?(?:discussion|comments?|conversation)|comments? ?\(?\d*\)?|\d+ comments?"
    r"|comment|leave a (?:comment|reply)|add (?:a|your) comment|post a comment|reply"
    r"|" + _SOCIAL + r"(?:\s*[|/·•,]?\s*" + _SOCIAL + r")*"
    r"|share (?:this|the) (?:article|story|page|post)(?: on .*)?|share (?:on|via|with) .*|share this"
    r"|advertisement|advertising|sponsored(?: content)?|ad|scroll to continue(?: with content)?"
    r"|related ?:.*|see also ?:.*|read also ?:.*|more on this (?:story|topic) ?:?.*|also read ?:.*|more ?: .*"
    r"|skip to (?:main )?(?:content|navigation)|back to top|top of page|next article|previous article"
    r"|(?:sign|log) (?:in|up)(?: .*)?|subscribe(?: now| today| to .*)?|follow us(?: on .*)?"
    r"|(?:sign up|subscribe) (?:for|to) (?:our|the) .*newsletter.*"
    r"|image copyright .*|from the section .*|media playback is unsupported on your device"
    r"|all rights reserved.*|(?:©|\(c\)|copyright ©?) ?\d{4}.*"
    r"|читать (?:далее|дальше|полностью)|подробнее|поделиться|комментари[ийея]\s*\(?\d*\)?|реклама"
    r")\s*[.…:»›→]*\s*$",
    re.IGNORECASE)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_COOKIE_BANNER = re.compile(r"\b(?:accept|consent|we use|this (?:web)?site uses|privacy (?:policy|settings)|"
                            r"manage (?:preferences|settings)|agree)\b", re.IGNORECASE)
COOKIE_MAX_LEN = 400

# class/id tokens of page furniture removed before the fallback extraction (not applied
# to html, body, main, article).
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|share|sharing|social|cookies?|consent|gdpr|"
    r"comments?|discussion|footer|header|masthead|sidebar|promo|related|similar|newsletter|subscribe|"
    r"advert|ads?|banner|popup|modal|teaser|recommended|outbrain|taboola|byline|toolbar|meta|author|dateline|tags)(?:$|[\s_-])",
    re.IGNORECASE)
_FURNITURE_TAGS = {"nav", "header", "footer", "aside", "form", "menu", "dialog"}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search",
                    "menu", "menubar"}

_xml_decl = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ws_nl = re.compile(r"[\r\n\t\f\v]+")
_meta_charset = re.compile(
    r"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)|<\?xml[^>]*encoding\s*=\s*["']([\w:.-]+)""", re.IGNORECASE)
# Encodings charset-normalizer may have guessed for a page that declares another one.
_GUESSES = ("cp1252", "latin-1", "cp1251", "koi8-r", "koi8-u", "mac_cyrillic", "iso8859-5", "cp866",
            "cp1250", "iso8859-2", "cp1257", "iso8859-13", "mac_roman", "cp1253", "cp1254")

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


# --- sniffing, decoding, parsing --------------------------------------------------------

_lead = re.compile(r"^(?:\ufeff|\s|<\?[^>]*\?>|<!--.*?-->)*", re.DOTALL)


def root_tag(text: str) -> str:
    """The first tag of a markup document, lower-case ('html', '!doctype html', 'rss', 'feed' …).

    XML declarations, processing instructions and comments are skipped; a DOCTYPE
    is returned as '!doctype ' + its first word. '' when the text does not start
    with markup.
    """
    head = text[:65536]
    m = _lead.match(head)
    rest = head[m.end():] if m else head
    m = re.match(r"<(!doctype\s+[\w:.-]+|[\w:.-]+)", rest, re.IGNORECASE)
    return re.sub(r"\s+", " ", m.group(1).lower()) if m else ""


def sniff(ext: str, text: str) -> bool:
    """FORMATS sniffer: an .html/.htm/.xhtml file, or text starting with <!DOCTYPE html> or <html>."""
    if ext in HTML_EXTS:
        return True
    tag = root_tag(text)
    return tag in ("html", "!doctype html")


def repair_charset(text: str) -> str:
    """Re-decode `text` when its declared charset (<meta charset>, http-equiv, XML prolog) cannot hold it.

    A page decoded with the right encoding can always be written back in it; when it
    cannot, the bytes are recovered through the encoding the detector probably used
    (`_GUESSES`, first that round-trips) and decoded with the declared one. Text that
    fits its declaration, or declares UTF-8 or nothing, is returned unchanged.
    """
    m = _meta_charset.search(text[:8192])
    if not m:
        return text
    try:
        declared = codecs.lookup(m.group(1) or m.group(2)).name
    except LookupError:
        return text
    if declared in ("utf-8", "utf-16", "utf-32", "ascii") or text.isascii():
        return text
    try:
        text.encode(declared)
        return text
    except UnicodeEncodeError:
        pass
    for guess in _GUESSES:
        try:
            return text.encode(guess).decode(declared)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def load_tree(text: str) -> lxml.html.HtmlElement:
    """Parse HTML `text` with lxml's forgiving HTML parser (comments dropped).

    Raises FileError when there is no markup to parse.
    """
    text = _xml_decl.sub("", text, count=1)
    if not text.strip():
        raise FileError("empty HTML file")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, recover=True)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise FileError(f"not parseable as HTML: {exc}") from None
    if tree is None:
        raise FileError("not parseable as HTML")
    return tree


# --- block-aware text -------------------------------------------------------------------

def _tag(el) -> str | None:
    t = el.tag
    if not isinstance(t, str):
        return None  # comment, processing instruction, entity
    return t.rsplit("}", 1)[-1].lower()


def block_paragraphs(el, *, trafilatura_tree: bool = False) -> list[str]:
    """The text of element `el` as paragraphs: one per block element or line break.

    Raw HTML (trafilatura_tree=False): source line breaks inside text are spaces (except
    in <pre>), SKIP_TAGS (script, style, head …) are left out, HTML_BLOCKS and <br>
    separate paragraphs. trafilatura's output tree (trafilatura_tree=True): its own
    blocks (TRAFILATURA_BLOCKS), <lb/> and newlines in its text separate paragraphs.
    Each paragraph has runs of white space collapsed (textnorm.clean_line); empty ones
    are dropped, and so are soft hyphens (U+00AD: invisible, but they split words for
    search). Entities are already decoded by the parser.
    """
    blocks = TRAFILATURA_BLOCKS if trafilatura_tree else HTML_BLOCKS
    skip = set() if trafilatura_tree else SKIP_TAGS
    out: list[str] = []

    def text(s: str | None, pre: bool) -> None:
        if s:
            out.append(s if (pre or trafilatura_tree) else _ws_nl.sub(" ", s))

    def walk(node, pre: bool) -> None:
        tag = _tag(node)
        if tag is None:
            text(node.tail, pre)
            return
        if tag in skip:
            text(node.tail, pre)
            return
        if tag in BREAK_TAGS:
            out.append("\n")
            text(node.tail, pre)
            return
        is_block = tag in blocks
        inner_pre = pre or tag == "pre"
        if is_block:
            out.append("\n")
        text(node.text, inner_pre)
        for child in node:
            walk(child, inner_pre)
        if is_block:
            out.append("\n")
        text(node.tail, pre)

    tag = _tag(el)
    if tag is not None and tag not in skip:
        out.append("\n")
        text(el.text, tag == "pre")
        for child in el:
            walk(child, tag == "pre")
    return [p for p in (clean_line(ln) for ln in "".join(out).replace(SOFT_HYPHEN, "").split("\n")) if p]


def is_boilerplate(paragraph: str) -> bool:
    """True for a short paragraph of page furniture (BOILERPLATE, or a cookie notice of at most COOKIE_MAX_LEN)."""
    p = paragraph.strip()
    if len(p) <= BOILERPLATE_MAX_LEN and BOILERPLATE.match(p):
        return True
    return len(p) <= COOKIE_MAX_LEN and bool(_COOKIE.search(p)) and bool(_COOKIE_BANNER.search(p))


def strip_boilerplate(paragraphs: list[str]) -> list[str]:
    """`paragraphs` without the boilerplate ones (is_boilerplate), order kept."""
    return [p for p in paragraphs if not is_boilerplate(p)]


def html_to_paragraphs(fragment: str) -> list[str]:
    """An HTML fragment (a feed item's summary, say) → its paragraphs, boilerplate removed.

    Block elements and <br> separate paragraphs, entities are decoded, scripts and
    styles are left out. Plain text without markup gives its lines as paragraphs.
    """
    if not fragment or not fragment.strip():
        return []
    if "<" not in fragment and "&" not in fragment:
        return strip_boilerplate([p for p in (clean_line(ln) for ln in fragment.replace(SOFT_HYPHEN, "").split("\n"))
                                  if p])
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div",
                                             parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True))
    except (lxml.etree.ParserError, ValueError):
        return strip_boilerplate([p for p in (clean_line(ln) for ln in fragment.split("\n")) if p])
    return strip_boilerplate(block_paragraphs(root))


def fallback_paragraphs(tree) -> list[str]:
    """Block-aware text of a page when trafilatura finds no main text.

    Works on a copy of `tree`: furniture (nav, header, footer, aside, form, menu,
    dialog; ARIA roles such as navigation/banner; class or id tokens such as menu,
    share, cookie, comments, footer, related — see _FURNITURE) is removed, then the
    first <article>, else <main>, else [itemprop=articleBody], else <body> is serialised
    with block_paragraphs and stripped of boilerplate paragraphs.
    """
    tree = copy.deepcopy(tree)
    for el in list(tree.iter()):
        tag = _tag(el)
        if tag is None or el.getparent() is None or tag in ("html", "body", "main", "article"):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if (tag in _FURNITURE_TAGS or (el.get("role") or "").lower() in _FURNITURE_ROLES
                or (names.strip() and _FURNITURE.search(names))):
            el.drop_tree()
    for xp in ("//article", "//main", "//*[@itemprop='articleBody']", "//body"):
        found = tree.xpath(xp)
        if found:
            paras = block_paragraphs(found[0])
            if paras:
                return strip_boilerplate(paras)
    return strip_boilerplate(block_paragraphs(tree))


# --- similar / related articles ---------------------------------------------------------

def _is_heading(el) -> bool:
    """True for an element whose whole text is a SIMILAR_HEADING (a heading, or a short label without links)."""
    tag = _tag(el)
    if tag not in HEADING_LIKE_TAGS:
        return False
    txt = clean_line(el.text_content())
    if not txt or len(txt) > 60 or not SIMILAR_HEADING.match(txt):
        return False
    if tag not in HEADING_TAGS:
        if el.xpath(".//a") or any(_tag(c) in HTML_BLOCKS for c in el):
            return False
    return True


def _headline_links(scope) -> list:
    """<a href> elements in `scope` whose text reads as a headline (two words or more)."""
    out = []
    for a in scope.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if len(_link_title(a).split()) >= 2:
            out.append(a)
    return out


_meta_class = re.compile(r"(?:^|[\s_-])(?:date|time|meta|kicker|label|off-screen|offscreen|visually-hidden|"
                         r"sr-only|screen-reader-text|hidden|byline|author|source|icon|count)(?:$|[\s_-])",
                         re.IGNORECASE)


def _link_title(a) -> str:
    """A related link's headline: its text without dates, kickers and screen-reader labels."""
    a = copy.deepcopy(a)
    a.tail = None
    for el in list(a.iter()):
        tag = _tag(el)
        if tag is None or el is a:
            continue
        if tag in ("time", "p", "img") or _meta_class.search(el.get("class") or ""):
            el.drop_tree()
    title = " ".join(block_paragraphs(a))
    return title[:MAX_STUB_TITLE]


def _entry_date(entry) -> str | None:
    """A related entry's date: <time datetime>/data-datetime, else a <time> or date-classed text, else a date line."""
    for el in entry.iter():
        if _tag(el) is None:
            continue
        for attr in ("datetime", "data-datetime"):
            v = el.get(attr)
            if v:
                d = parse_time_attr(v)
                if d:
                    return d
    for el in entry.iter():
        if _tag(el) == "time" or re.search(r"(?:^|[\s_-])(?:date|dateline|time|timestamp)(?:$|[\s_-])",
                                           el.get("class") or "" if _tag(el) else ""):
            line = clean_line(el.text_content())
            if line and is_dateline(line):
                return parse_published(line)
    for line in block_paragraphs(entry):
        if is_dateline(line):
            return parse_published(line)
    return None


def _starts_section(el) -> bool:
    """True when `el` is, or opens with, a heading of its own (not one inside a link): the next block."""
    if _tag(el) in HEADING_TAGS:
        return True
    for sub in el.iter():
        tag = _tag(sub)
        if tag == "a" and _headline_links(sub):
            return False
        if tag in HEADING_TAGS and not any(_tag(x) == "a" for x in sub.iterancestors()):
            return True
    return False


def _is_prose(el) -> bool:
    """True when `el` reads as article text rather than a list of links: more than
    PROSE_CHARS_PER_LINK characters of text outside links per headline link."""
    links = _headline_links(el)
    total = len(clean_line(el.text_content()))
    in_links = sum(len(clean_line(a.text_content())) for a in el.iter("a"))
    return (total - in_links) / max(1, len(links)) > PROSE_CHARS_PER_LINK


def _block_scope(heading) -> list | None:
    """The elements after a related-block heading that hold its links (climbing at most 4 levels), or None."""
    node = heading
    for _ in range(4):
        after = []
        for sib in node.itersiblings():
            if _tag(sib) is None:
                continue
            if _starts_section(sib) or _is_prose(sib):
                break
            after.append(sib)
        if any(_headline_links(sib) for sib in after):
            return after
        node = node.getparent()
        if node is None or _tag(node) in ("body", "html"):
            return None
    return None


def similar_stubs(tree, base_url: str | None) -> list[ArticleRecord]:
    """Stub ArticleRecords from the page's "Similar / Related articles" blocks; the blocks are removed from `tree`.

    A block starts at an element whose whole text matches SIMILAR_HEADING and holds the
    headline links after it (within its parent, or up to three ancestors up). Each link
    with a headline gives one stub: title = link text without dates and labels, url =
    href resolved against `base_url` kept in extra["link"] (no link for a relative href
    without a base), date = the entry's <time datetime>/data-datetime or date line
    ('YYYY-MM-DD[ HH:MM]', None when absent), body = the entry's <p> text. Stubs repeated
    in two blocks (same link or title) are kept once.

    The link is not the stub's `url`: the writer dedupes by url before it looks for a stub
    to upgrade, so a stub holding the url would turn its full page into a "duplicate".
    """
    stubs: list[ArticleRecord] = []
    seen: set[str] = set()
    remove = []
    for heading in [el for el in tree.iter() if _is_heading(el)]:
        if any(heading is r or heading in r.iterdescendants() for r in remove):
            continue
        scope = _block_scope(heading)
        if not scope:
            continue
        for sib in scope:
            links = _headline_links(sib)
            for a in links:
                entry = a  # the largest element around the link that holds no other headline link
                while entry is not sib:
                    parent = entry.getparent()
                    if parent is None or any(x is not a for x in _headline_links(parent)):
                        break
                    entry = parent
                title = _link_title(a)
                href = a.get("href").strip()
                url = urljoin(base_url, href) if base_url else (href if re.match(r"https?://", href) else None)
                key = url or title.casefold()
                if key in seen or title.casefold() in seen:
                    continue
                seen.update({key, title.casefold()})
                lead_paras = []
                for p in entry.iter("p"):
                    if p is a or a in p.iterancestors():
                        continue
                    lead_paras += [x for x in block_paragraphs(p) if x != title and not is_dateline(x)]
                stubs.append(ArticleRecord(title=title, published_at=_entry_date(entry),
                                           body="\n\n".join(strip_boilerplate(lead_paras)),
                                           extra={"link": url} if url else None,
                                           is_stub=True))
        remove.append(heading)
        remove += scope
    for el in remove:
        if el.getparent() is not None:
            el.drop_tree()
    return stubs


# --- metadata ---------------------------------------------------------------------------

_byline = re.compile(r"^(?:by|автор:)\s+\S", re.IGNORECASE)
_iso_time = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")


def parse_time_attr(value: str) -> str | None:
    """A machine-readable date (<time datetime>, data-datetime) → 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD'.

    ISO 8601 values keep the local date and time the page wrote (the offset is
    dropped; case C18); other forms go through dateline.parse_published. None when
    the value is not a full date.
    """
    v = value.strip()
    try:
        dt = datetime.fromisoformat(v.replace("z", "Z"))
        return dt.strftime("%Y-%m-%d %H:%M") if _iso_time.match(v) else dt.strftime("%Y-%m-%d")
    except ValueError:
        pass
    try:
        return parse_published(v)
    except ValueError:
        return None


def _time_element_date(tree) -> str | None:
    """The date of the page's publication <time datetime>: itemprop=datePublished or pubdate first."""
    for xp in ("//time[@datetime][@itemprop='datePublished']", "//time[@datetime][@pubdate]",
               "//article//time[@datetime]", "//time[@datetime]"):
        for el in tree.xpath(xp):
            d = parse_time_attr(el.get("datetime"))
            if d:
                return d
    return None


_PUBLISHED_XPATHS = ("//meta[@property='article:published_time']/@content",
                     "//meta[@property='og:article:published_time']/@content",
                     "//meta[@itemprop='datePublished']/@content", "//*[@itemprop='datePublished']/@datetime",
                     "//meta[@name='pubdate']/@content", "//time[@pubdate]/@datetime",
                     "//article//time/@datetime", "//time/@datetime")


def _same_day_time(tree, date: str) -> str | None:
    """'YYYY-MM-DD HH:MM' from the page's own publication meta or <time datetime> on `date`, or None.

    htmldate prefers a date in the URL and then gives no time; the page's machine-readable
    publication time on the same day is more precise (local time as written; case C18).
    """
    for xp in _PUBLISHED_XPATHS:
        for v in tree.xpath(xp):
            d = parse_time_attr(str(v))
            if d and len(d) == 16 and d.startswith(date):
                return d
    return None


def _head_value(tree, xpaths: tuple[str, ...]) -> str | None:
    """The first non-empty value of `xpaths` (attribute or string() expressions), white space collapsed."""
    for xp in xpaths:
        found = tree.xpath(xp)
        for v in (found if isinstance(found, list) else [found]):
            v = clean_line(str(v))
            if v:
                return v
    return None


def _page_url(tree, fallback: str | None) -> str | None:
    for xp in ("//link[@rel='canonical']/@href", "//link[translate(@rel,'CANONIL','canonil')='canonical']/@href",
               "//meta[@property='og:url']/@content", "//meta[@name='og:url']/@content"):
        for v in tree.xpath(xp):
            v = str(v).strip()
            if re.match(r"https?://\S+$", v):
                return v
    return fallback if fallback and re.match(r"https?://\S+$", fallback) else None


def _author(value: str | None) -> str | None:
    """trafilatura's author string, names deduplicated case-insensitively ('A; A' → 'A')."""
    if not value:
        return None
    names, seen = [], set()
    for n in (clean_line(x) for x in value.split(";")):
        if n and n.casefold() not in seen and n.casefold() not in AUTHOR_BLACKLIST:
            seen.add(n.casefold())
            names.append(n)
    return "; ".join(names) or None


def _midnight_real(date: str, text: str) -> bool:
    d = date[:10]
    return bool(re.search(re.escape(d) + r"[T ]00:00", text))


# trafilatura's extraction (libxml2's XPath node-set merging under it) takes time quadratic in
# the number of elements: ~1 s at 10,000 <p>, minutes at the 125,000 of a 1 MB page of short
# paragraphs. Saved article pages have a few thousand (the readability test pages: 770-2,040);
# a bigger page is read without trafilatura, by fallback_paragraphs and the page's own title,
# <time> and meta tags.
MAX_EXTRACT_ELEMENTS = 10_000


def _too_big_to_extract(tree) -> bool:
    return next(itertools.islice(tree.iter(), MAX_EXTRACT_ELEMENTS, None), None) is not None


def _trafilatura(tree, url: str | None):
    """(trafilatura Document, has main text) for `tree`.

    The precision mode (favor_precision) runs first; when it keeps fewer than
    MIN_PRECISION_CHARS characters of text (a short page, where it tends to drop real
    blocks; shared case C14) the balanced mode is used. When neither finds text, the
    Document holds only the page's metadata (trafilatura.metadata.extract_metadata).
    """
    import trafilatura
    from trafilatura.metadata import extract_metadata
    date_params = {"outputformat": "%Y-%m-%d %H:%M", "extensive_search": False, "original_date": True}
    doc = None
    for precision in (True, False):
        doc = trafilatura.bare_extraction(
            copy.deepcopy(tree), url=url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, include_formatting=False, deduplicate=False,
            favor_precision=precision, date_extraction_params=date_params, author_blacklist=AUTHOR_BLACKLIST)
        if doc is not None and len(doc.text or "") >= MIN_PRECISION_CHARS:
            break
    if doc is None or not (doc.text or "").strip():
        return extract_metadata(copy.deepcopy(tree), default_url=url, date_config=date_params,
                                extensive=False, author_blacklist=AUTHOR_BLACKLIST), False
    return doc, True


def _drop_lead_furniture(paras: list[str], title: str | None) -> list[str]:
    """Leading blocks that repeat the headline, or are a date line or a short byline ("By …")."""
    while paras and ((title and paras[0].casefold() == title.casefold()) or is_dateline(paras[0])
                     or (len(paras[0]) <= 80 and _byline.match(paras[0]))):
        paras = paras[1:]
    return paras


def parse(text: str, name: str) -> Iterator[ArticleRecord]:
    """Yield the one ArticleRecord of a saved HTML page (with its similar stubs).

    text: the decoded file; name: the file name (the source when the page names no
    site). Raises FileError when the page has no parseable markup or no article text.
    """
    text = repair_charset(text)
    tree = load_tree(text)
    page_url = _page_url(tree, None)
    stubs = similar_stubs(tree, page_url)
    meta, has_text = (None, False) if _too_big_to_extract(tree) else _trafilatura(tree, page_url)

    paras: list[str] = []
    if has_text and meta.body is not None:
        paras = strip_boilerplate(block_paragraphs(meta.body, trafilatura_tree=True))
    fallback = not paras
    if fallback:
        paras = fallback_paragraphs(tree)

    title = clean_line(getattr(meta, "title", None) or "") or _head_value(tree, (
        "string(//h1)", "//meta[@property='og:title']/@content", "string(//title)"))
    paras = _drop_lead_furniture(paras, title)
    if not paras:
        raise FileError("no article text found on the page", 0, "body")
    if not title:
        first = paras[0]
        title = first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0] + " …"
    title = title[:MAX_TITLE]

    published = getattr(meta, "date", None) or None
    if published and published.endswith(" 00:00") and not _midnight_real(published, text):
        published = published[:10]  # htmldate writes 00:00 when the page gives no time
    if published and len(published) == 10:
        published = _same_day_time(tree, published) or published
    if not published:
        published = _time_element_date(tree)

    section = clean_line((getattr(meta, "categories", None) or [""])[0]) or _head_value(tree, (
        "//meta[@property='article:section']/@content", "//meta[@property='og:article:section']/@content",
        "//meta[@name='section']/@content", "//meta[@itemprop='articleSection']/@content"))
    if section and section.startswith("/"):
        section = section.strip("/") or None
    language = getattr(meta, "language", None) or (tree.get("lang") or "").strip() or None
    if language:
        language = re.split(r"[-_]", language)[0].lower()[:8] or None
    source = clean_line(getattr(meta, "sitename", None) or getattr(meta, "hostname", None) or "") or name

    extra: dict = {}
    if getattr(meta, "description", None):
        extra["description"] = clean_line(meta.description)
    tags = list(dict.fromkeys(t for t in (clean_line(x) for tag in (getattr(meta, "tags", None) or [])
                                          for x in tag.split(",")) if t))
    if tags:
        extra["tags"] = tags
    if fallback:
        extra["extraction"] = "fallback"
    stubs = [s for s in stubs if s.title.casefold() != title.casefold()
             and not (page_url and (s.extra or {}).get("link") == page_url)]
    yield ArticleRecord(title=title, published_at=published, body="\n\n".join(paras),
                        url=page_url or _page_url(tree, getattr(meta, "url", None)), source=source,
                        section=section or None, author=_author(getattr(meta, "author", None)),
                        language=language, date_note=None if published else "no publication date on the page",
                        similar=stubs, extra=extra or None, line=1)
