"""What an article is about: a salience for each pair of actors it names, and whether the
article is ABOUT the pair.

An article that names five countries links to ten pairs; a reader filtering for one of them
wants the articles whose subject the pair is, not every page that names both in passing. Each
link earns points for where and how its two actors appear (tables/salience.tsv):

* title: each of the two named in the title;
* lede: both named in the lede (the body's first paragraph, at most its first LEDE_SENTENCES
  sentences: a wire story printed as one block has no paragraphs);
* sentence: body sentences naming both;
* event: extracted events between the two;
* share: the rarer actor's mentions over the article's most-mentioned actor's.

A link is about its pair when its salience reaches `about_min` and at least `about_ratio` of the
article's best link's, and each of its actors is in the title or the lede or named at least
`about_mentions` times: the second rule keeps a page on Belarus and the USA from being about
every pair of countries its last paragraph lists, the third a page on Belarusian pensions from
being about Belarus and Russia because one sentence names Russian imports. Everything is computed from what the import
has already found (mentions, counts, events), so it costs a title scan and a sentence split.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from dashboard.analysis import actors
from dashboard.knowledge import read_table

LEDE_SENTENCES = 3
_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class Rules:
    """The points of tables/salience.tsv: feature → (points, cap), and the about rule."""
    points: dict[str, tuple[float, float]]
    about_min: float
    about_ratio: float
    about_mentions: float


@functools.cache
def rules() -> Rules:
    rows = {r[0]: (float(r[1]), float(r[2])) for r in read_table("salience.tsv", header=("name", "points", "cap"),
                                                                  width=3)}
    about = [rows.pop(name)[0] for name in ("about_min", "about_ratio", "about_mentions")]
    missing = {"title", "lede", "sentence", "event", "share"} - set(rows)
    if missing:
        raise ValueError(f"tables/salience.tsv: no row for {', '.join(sorted(missing))}")
    return Rules(rows, *about)


@dataclass
class Facts:
    """Where and how the two actors of a link appear in one article."""
    pair: tuple[str, str]
    counts: tuple[int, int]             # mentions of pair[0], pair[1] (title and body)
    top: int                            # mentions of the article's most-mentioned actor
    in_title: tuple[bool, bool] = (False, False)
    lede: tuple[bool, bool] = (False, False)      # each named in the lede
    sentences: int = 0
    events: dict[tuple[str, str], int] = field(default_factory=dict)   # (actor1, actor2) → events

    @property
    def share(self) -> float:
        return min(self.counts) / self.top if self.top else 0.0

    @property
    def in_lede(self) -> bool:
        return all(self.lede)

    def present(self, least: float) -> bool:
        """Each actor is in the title or the lede, or named at least `least` times: a country
        named once, further down, is not a subject of the article."""
        return all(t or l or n >= least for t, l, n in zip(self.in_title, self.lede, self.counts))


@dataclass
class Link:
    """One article–pair link: its facts, salience and whether the article is about the pair."""
    facts: Facts
    salience: float
    about: bool = False

    @property
    def pair(self) -> tuple[str, str]:
        return self.facts.pair


def score(f: Facts, r: Rules | None = None) -> float:
    """The salience of a link: the points of tables/salience.tsv for its facts, rounded to 0.01."""
    p = (r or rules()).points

    def pts(name: str, n: float) -> float:
        points, cap = p[name]
        return points * min(n, cap)
    return round(pts("title", sum(f.in_title)) + pts("lede", f.in_lede) + pts("sentence", f.sentences)
                 + pts("event", sum(f.events.values())) + pts("share", f.share), 2)


def facts(title: str, body: str, mentions: list, counts: dict[str, tuple[int, str]],
          events: list[dict]) -> dict[tuple[str, str], Facts]:
    """The facts of every pair of actors in `counts`, keyed by the sorted pair.

    mentions: the body's actor mentions (actors.scan's first result, offsets into `body`);
    counts: actor → (mentions, kind) over title and body (its second result); events: rows with
    actor1 and actor2 (write.analysis's event rows, or stored events)."""
    if len(counts) < 2:
        return {}
    top = max(n for n, _ in counts.values())
    out = {(a, b): Facts((a, b), (counts[a][0], counts[b][0]), top)
           for a, b in itertools.combinations(sorted(counts), 2)}
    titled = {m.actor for m in actors.mentions(title)} if title else set()
    lede_end = _lede_end(body)
    lede: set[str] = set()
    per_sentence: list[set[str]] = []
    last = None
    for m in mentions:      # sorted by start
        if m.start < lede_end:
            lede.add(m.actor)
        # Only a change of actor needs the boundary looked up: after "Belarus … | Belarus Russia"
        # Russia shares the sentence of the mention just before it either way.
        if last is None or (m.actor != last.actor and _ends_sentence(body, last.end, m.start)):
            per_sentence.append(set())
        per_sentence[-1].add(m.actor)
        last = m
    for f in out.values():
        a, b = f.pair
        f.in_title = (a in titled, b in titled)
        f.lede = (a in lede, b in lede)
    for named in per_sentence:
        if len(named) > 1:
            for pair in itertools.combinations(sorted(named), 2):
                if pair in out:
                    out[pair].sentences += 1
    for e in events:
        a1, a2 = e.get("actor1"), e.get("actor2")
        pair = (a1, a2) if (a1 or "") <= (a2 or "") else (a2, a1)
        if pair in out:
            out[pair].events[(a1, a2)] = out[pair].events.get((a1, a2), 0) + 1
    return out


# Where a sentence may end: . ! ? … (and closing quotes) before white space and a capital, digit
# or opening quote; a line break before anything but a lower-case letter. A stop after a capital
# ("U.S. officials", initials) or a title ("Mr. Putin") does not end one (_abbreviation). Coarser
# than dates.sentences, whose abbreviation rules would cost a third of an article's analysis;
# here a missed or an extra boundary moves one shared-sentence point.
_SENT_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+(?=[\"“‘'«(\[]*[A-Z0-9\u0400-\u042F])|\n(?![ \t]*[a-z])")
_TITLES = re.compile(r"(?:^|\W)(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Gov|Col)$")


def _abbreviation(body: str, stop: int) -> bool:
    """The stop at body[stop] ends a capital's or a title's abbreviation, not a sentence."""
    before = body[max(0, stop - 4):stop]
    return before[-1:].isupper() or _TITLES.search(before) is not None


def _ends_sentence(body: str, start: int, end: int) -> bool:
    """A sentence ends between body[start] and body[end] (a few characters after `end` are read
    for what opens the next sentence)."""
    for m in _SENT_END.finditer(body, start, end + 4):
        i = m.start()
        if i >= end:
            return False
        if body[i] == "\n" or not _abbreviation(body, i):
            return True
    return False


def _lede_end(body: str) -> int:
    """Where the lede ends: the first paragraph, cut after LEDE_SENTENCES sentences."""
    m = _PARA_BREAK.search(body)
    end = m.start() if m else len(body)
    n = 0
    for s in _SENT_END.finditer(body, 0, end):
        if body[s.start()] == "\n" or not _abbreviation(body, s.start()):
            n += 1
            if n == LEDE_SENTENCES:
                return s.start()
    return end


def links(title: str, body: str, mentions: list, counts: dict[str, tuple[int, str]],
          events: list[dict]) -> list[Link]:
    """Every pair link of an article with its salience and about flag, in pair order."""
    r = rules()
    found = [Link(f, score(f, r)) for _, f in sorted(facts(title, body, mentions, counts, events).items())]
    best = max((x.salience for x in found), default=0.0)
    for x in found:
        x.about = (x.salience >= r.about_min and x.salience >= r.about_ratio * best
                   and x.facts.present(r.about_mentions))
    return found


def reasons(link: Link) -> str:
    """Why the article is linked to the pair, in words: 'BLR–USA: both in the title; in the lede;
    together in 6 sentences; Belarus acts on United States in 2 events; 16 and 10 mentions'."""
    f = link.facts
    a, b = f.pair
    said = []
    if all(f.in_title):
        said.append("both in the title")
    elif any(f.in_title):
        said.append(f"{actors.actor_name(a if f.in_title[0] else b)} in the title")
    if f.in_lede:
        said.append("both in the lede")
    if f.sentences:
        said.append(f"together in {_n(f.sentences, 'sentence')}")
    for (x, y), n in sorted(f.events.items(), key=lambda kv: -kv[1]):
        said.append(f"{actors.actor_name(x)} acts on {actors.actor_name(y)} in {_n(n, 'event')}")
    said.append(f"{f.counts[0]} and {f.counts[1]} mentions (most-mentioned actor: {f.top})")
    verdict = "about the pair" if link.about else "mentions only"
    return f"{a}–{b} ({verdict}, salience {link.salience:g}): " + "; ".join(said)


def _n(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
