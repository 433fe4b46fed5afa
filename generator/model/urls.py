"""Every page and file path of the site, in one place.

Paths are relative to the docs root, as ``Page.path`` takes them: a page is a Markdown file
(``varianten/<id>/index.md``), which the site serves as a folder (``varianten/<id>/``,
``dir_url``). Whatever builds or parses such a path (the page kinds, the check pages, the
comparison, ``serve``'s rebuild, the PDFs) asks this module; a template gets its links from
its view or context. No wording and no HTML here.
"""

from __future__ import annotations

import posixpath

from .sources import version_slug

# ---------------------------------------------------------------- shared pages

HOME = "index.md"
KADER = "afwegingskader.md"
BEGRIPPEN = "begrippen.md"
VARIANTS = "varianten"
VARIANTS_INDEX = f"{VARIANTS}/index.md"
LISTINGS = "overzicht"
"""The folder of the overviews' listing pages (by region, board and name); not under
``varianten/``: a variant id could be any slug."""
CHECKS = "kwaliteitscheck"
CHECKS_INDEX = f"{CHECKS}/index.md"
CHECKS_LETTERS = f"{CHECKS}/a-z"
COMPARE = "vergelijken"
CHANGES = "wijzigingen"
"""The folder of the "Wijzigingen" pages (paged) and the handbook's feed."""

# ---------------------------------------------------------------- runtime files

PYODIDE_DIR = "assets/pyodide"
TOOL_DIR = "assets/afwegingskader"
DIFF_URI = "assets/diff-match-patch/diff_match_patch.js"

# ---------------------------------------------------------------- a variant's own pages

ROLE_PREFIX = "wat-doe-ik-als-"
VERSIONS = "versies"
INWERKEN = "inwerken"


def variant_dir(variant_id: str) -> str:
    """The folder of a variant's own pages (``serve`` removes a page there an edit no longer makes)."""
    return f"{VARIANTS}/{variant_id}/"


def variant_page(variant_id: str) -> str:
    return f"{variant_dir(variant_id)}index.md"


def tool_page(variant_id: str) -> str:
    return f"{variant_dir(variant_id)}afwegingskader.md"


def inwerken_page(variant_id: str) -> str:
    """A new colleague's path through the protocol, its self-check and the leesbevestiging."""
    return f"{variant_dir(variant_id)}{INWERKEN}.md"


def check_page(variant_id: str) -> str:
    return f"{variant_dir(variant_id)}kwaliteitscheck.md"


def role_slug(role_id: str) -> str:
    """A role page's name inside its variant's folder."""
    return f"{ROLE_PREFIX}{role_id}"


def role_page(variant_id: str, role_id: str) -> str:
    return f"{variant_dir(variant_id)}{role_slug(role_id)}.md"


def situation_page(variant_id: str, situation_id: str) -> str:
    return f"{variant_dir(variant_id)}{situation_id}.md"


def versions_page(variant_id: str) -> str:
    return f"{variant_dir(variant_id)}{VERSIONS}/index.md"


def version_dir(variant_id: str, version: str) -> str:
    return f"{variant_dir(variant_id)}{VERSIONS}/{version_slug(version)}/"


def version_page(variant_id: str, version: str) -> str:
    return f"{version_dir(variant_id, version)}index.md"


def version_diff_page(variant_id: str, version: str) -> str:
    """What changed from the version before ``version``."""
    return f"{version_dir(variant_id, version)}verschil.md"


def role_diff_page(variant_id: str, version: str, role_id: str) -> str:
    """What changed in ``version`` in just the steps that name a role."""
    return f"{version_dir(variant_id, version)}verschil-{role_slug(role_id)}.md"


FEED_NAME = "feed.xml"


def variant_feed(variant_id: str) -> str:
    """A protocol's Atom feed of its versions."""
    return f"{variant_dir(variant_id)}{FEED_NAME}"


def pdf_name(variant_id: str, slug: str) -> str:
    """A version's PDF, beside its page; ``slug`` is ``version_slug(version)``."""
    return f"{variant_id}-{slug}.pdf"


def version_pdf(variant_id: str, version: str) -> str:
    return f"{version_dir(variant_id, version)}{pdf_name(variant_id, version_slug(version))}"


VERSION_PAGES_HTML = f"{VARIANTS}/*/{VERSIONS}/*/index.html"
"""The built version pages (a glob in the built site), which the PDFs are printed from."""


def version_of_built_page(path: str) -> tuple[str, str]:
    """(variant id, version slug) of a built version page matching ``VERSION_PAGES_HTML``."""
    parts = path.split("/")
    if len(parts) != 5 or parts[0] != VARIANTS or parts[2] != VERSIONS or parts[4] != "index.html":
        raise ValueError(f"not a version page: {path}")
    return parts[1], parts[3]


def variant_of(path: str) -> str | None:
    """The variant whose own page ``path`` is, else None."""
    parts = path.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == VARIANTS else None


def within_variant(variant_id: str, path: str) -> str:
    """``path`` relative to the variant's folder (a link from its main page)."""
    folder = variant_dir(variant_id)
    if not path.startswith(folder):
        raise ValueError(f"{path} is not a page of {variant_id}")
    return path[len(folder):]


# ---------------------------------------------------------------- paged lists


def paged(folder: str, number: int) -> str:
    """Page ``number`` (from 1) of a list paged in ``folder``."""
    return f"{folder}/index.md" if number == 1 else f"{folder}/pagina-{number}.md"


def changes_feed() -> str:
    return f"{CHANGES}/{FEED_NAME}"


def compare_page(number: int) -> str:
    return paged(COMPARE, number)


def in_comparison(path: str) -> bool:
    """Whether ``path`` is one of the comparison's pages or fragments."""
    return path.startswith(f"{COMPARE}/")


def compare_fragment(variant_id: str) -> str:
    """The comparison's column of one variant, loaded by the picker."""
    return f"{COMPARE}/{VARIANTS}/{variant_id}.json"


def dir_url(path: str) -> str:
    """The served URL of a page: ``a/index.md`` -> ``a/``, ``a/b.md`` -> ``a/b/``."""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def up_to_root(path: str) -> str:
    """From a page's folder back to the docs root: ``../`` per folder of ``path`` (for an HTML
    link on the served page, pass its ``dir_url``)."""
    return "../" * path.count("/")


def relative(path: str, folder: str) -> str:
    """``path`` as seen from ``folder`` (a link inside the folder's tree)."""
    return posixpath.relpath(path, folder.rstrip("/") or ".")
