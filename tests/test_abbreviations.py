"""Abbreviations explained in place (``site.abbreviations``): where they are, and where not.

The built site is checked as a whole in ``test_role_pages``; here the edges a page
rarely shows: character references, word boundaries, tags and their attributes.
"""

from __future__ import annotations

import pytest
from bounded import finishes

from generator.site.abbreviations import explain

GLOSSARY = {"VT": "Veilig Thuis", "IB'er": "intern begeleider", "AMK": "Advies- en Meldpunt Kindermishandeling"}
VT = '<abbr title="Veilig Thuis">VT</abbr>'


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Bel VT.</p>", f"<p>Bel {VT}.</p>"),
        ("<p>(VT) en VT's</p>", f"<p>({VT}) en {VT}'s</p>"),
        ("<td>VT&#39;s advies</td>", f"<td>{VT}&#39;s advies</td>"),
        # written with a character reference, read as the reader reads it
        ("<p>De IB&#39;er</p>", '<p>De <abbr title="intern begeleider">IB&#39;er</abbr></p>'),
        ("<p>De IB&apos;er</p>", '<p>De <abbr title="intern begeleider">IB&apos;er</abbr></p>'),
        # not part of a longer word, also where a reference stands for a word character
        ("<p>VTX XVT VT_x VT2</p>", "<p>VTX XVT VT_x VT2</p>"),
        ("<p>VT&#95;x &#95;VT &#x5f;VT</p>", "<p>VT&#95;x &#95;VT &#x5f;VT</p>"),
        ("<p>vt Vt</p>", "<p>vt Vt</p>"),
        # never inside a tag, a comment, code, a script or an abbreviation already explained
        ('<a title="VT" href="/vt/">naar VT</a>', f'<a title="VT" href="/vt/">naar {VT}</a>'),
        ("<!-- VT --><p>VT</p>", f"<!-- VT --><p>{VT}</p>"),
        ("<pre><code>VT</code> VT</pre> VT", f"<pre><code>VT</code> VT</pre> {VT}"),
        ('<script>if (a < b) { x = "<code>VT"; }</script><p>VT</p>',
         f'<script>if (a < b) {{ x = "<code>VT"; }}</script><p>{VT}</p>'),
        ('<abbr title="anders">VT</abbr> VT', f'<abbr title="anders">VT</abbr> {VT}'),
        ('<svg viewBox="0 0 1 1"><title>VT</title></svg><p>VT</p>',
         f'<svg viewBox="0 0 1 1"><title>VT</title></svg><p>{VT}</p>'),
        ("<p>Geen afkorting</p>", "<p>Geen afkorting</p>"),
    ],
)
def test_explain(html, expected):
    assert explain(html, GLOSSARY) == expected


def test_the_title_is_escaped():
    assert explain("<p>AMK</p>", {"AMK": 'Meldpunt "oud" & <weg>'}) == (
        '<p><abbr title="Meldpunt &quot;oud&quot; &amp; &lt;weg&gt;">AMK</abbr></p>'
    )


# Words that are also the names of character references and tags, as a begrippenlijst might
# list them (the model refuses abbreviations with <, >, & or ; but these are words).
NAMES = {"gt": "groter dan", "lt": "kleiner dan", "amp": "ampère", "nbsp": "spatie", "quot": "quotiënt",
         "39": "negenendertig", "x27": "x", "p": "pagina", "td": "tijdelijk", "href": "verwijzing"}


@pytest.mark.parametrize("html", [
    "<p>a &gt; b &lt; c &amp; d&nbsp;e &quot;f&quot; g&#39;s &#x27;</p>",
    "<td>&gt;&lt;&amp;&#39;</td>",
    '<p><a href="/p/">a</a></p><table><tr><td>a</td></tr></table>',
])
def test_a_character_reference_or_a_tag_is_never_split(html):
    assert explain(html, NAMES) == html


def test_the_same_words_are_explained_where_they_stand_as_words():
    assert explain("<p>gt en p &amp; td</p>", NAMES) == (
        '<p><abbr title="groter dan">gt</abbr> en <abbr title="pagina">p</abbr> &amp; '
        '<abbr title="tijdelijk">td</abbr></p>'
    )


@pytest.mark.parametrize("word", ["<p>", "</td>", "&gt;", "&amp;"])
def test_an_abbreviation_written_as_markup_never_matches_the_pages_own_markup(word):
    html = "<p> a &gt; b &amp; c </p> <table><tr><td> d </td> </tr></table>"
    assert explain(html, {word: "x"}) == html


def test_time_is_linear_in_the_number_of_abbreviations_in_one_paragraph():
    """20,000 took 6.5 s when each one looked ahead to the end of its paragraph; 200,000
    would take some ten minutes that way, and take about a second now."""
    out = finishes("""
        from generator.site.abbreviations import explain
        html = "<p>" + "AMK " * 200_000 + "</p>"
        print(explain(html, {"AMK": "Advies- en Meldpunt Kindermishandeling"}).count("<abbr"))
    """)
    assert out.split() == ["200000"]
