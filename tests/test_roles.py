"""Roles in protocol texts: whole words, any case, the protocol's words kept as written."""

from __future__ import annotations

import pytest
from bounded import finishes
from hypothesis import given
from hypothesis import strategies as st

from conftest import PROTOCOLS
from generator.checks.roles import RoleFinder, plain_sentence
from generator.model.loader import load


@pytest.fixture(scope="module")
def finder() -> RoleFinder:
    return RoleFinder(load(PROTOCOLS).roles)


@pytest.mark.parametrize("text, roles", [
    ("Leerkracht, intern begeleider/directie, Veilig Thuis", {"leerkracht", "intern-begeleider", "directie"}),
    ("overleg met de IB'er", {"intern-begeleider"}),
    ("overleg met de IB’er", {"intern-begeleider"}),
    ("Leerkracht en IB’er bespreken", {"leerkracht", "intern-begeleider"}),
    ("na overleg IB", {"intern-begeleider"}),
    ("de ib-er en de DIRECTEUR", {"intern-begeleider", "directie"}),
    ("de intern\n  begeleider", {"intern-begeleider"}),
    ("Docenten, mentoren en zorgcoördinatoren", {"leerkracht", "mentor", "zorgcoordinator"}),
    ("de zorgcoördinator of aandachtfunctionaris", {"zorgcoordinator", "aandachtsfunctionaris"}),
    ("School-maatschappelijk werker of zorg team", {"schoolmaatschappelijk-werker"}),
    ("het bevoegd gezag (de schoolleider)", {"bevoegd-gezag", "directie"}),
    # Whole words only: no role inside a longer word.
    ("de leerkrachtenkamer, IBM, directies, de mentorgroep", set()),
    ("De interne leerlingbespreking; zo nodig het multidisciplinaire overleg", set()),
])
def test_roles_are_whole_words_in_any_case(finder, text, roles):
    assert finder.named(text) == roles


def test_a_role_is_marked_with_the_protocols_own_words(finder):
    parts = finder.parts("U (de beroepskracht) en de IB-er; de IB-er stelt de directeur op de hoogte")
    assert [(p.text, p.role) for p in parts if p.role] == [
        ("beroepskracht", "leerkracht"), ("IB-er", "intern-begeleider"),
        ("IB-er", "intern-begeleider"), ("directeur", "directie"),
    ]


@given(st.text(alphabet="ab IBer'’-\nintrn beglid", max_size=80))
def test_parts_join_to_the_text(finder, text):
    assert "".join(p.text for p in finder.parts(text)) == text


@pytest.mark.parametrize("sentence, plain", [
    ("- Vastleggen in een dossier", "Vastleggen in een dossier"),
    ("1. leg de ouder het doel uit;", "leg de ouder het doel uit;"),
    ("**Melden en bespreken met de ouder (met IB-er).**", "Melden en bespreken met de ouder (met IB-er)."),
    ("Kijk op [de site](https://example.nl) van m_brown", "Kijk op de site van m_brown"),
    ("[a] en [b](https://example.nl) of [c](d) [e]", "[a] en b of c [e]"),
    ("[[a]](b) [x(y)](z) [(s)](t) [a [b](c)", "[[a]](b) x(y) (s) [a b"),  # link text has no [ or ]
])
def test_a_sentence_is_shown_without_markdown_marks(sentence, plain):
    assert plain_sentence(sentence) == plain


@pytest.mark.parametrize("unit, count, plain", [
    ("[", 1_000_000, 1_000_000), ("[x](", 250_000, 1_000_000), ("[(", 500_000, 1_000_000),
    ("[x](y) ", 200_000, 399_999),
])
def test_plain_sentence_is_linear_in_the_length_of_the_sentence(unit, count, plain):
    """100,000 [ took 7 s when each [ looked for its ] to the end of the text; a million would
    take some ten minutes that way, and take well under a second now."""
    out = finishes(f"""
        from generator.checks.roles import plain_sentence
        print(len(plain_sentence({unit!r} * {count})))
    """)
    assert int(out) == plain
