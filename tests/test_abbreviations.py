"""Abbreviations explained in place (``site.abbreviations``): where they are, and where not.

The built site is checked as a whole in ``test_role_pages``; here the edges a page
rarely shows: character references, word boundaries, tags and their attributes.
"""

from __future__ import annotations

import pytest

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
