"""Valid HTML: the Nu Html Checker finds no error of ours on any page of the seed site (D38).

The themes' own errors are listed, with the theme's version and why they stay, in
theme_html_errors.toml; the Zensical site is checked in tests/test_engines.py.
"""

from __future__ import annotations

from vnu import html_files, ours, report


def test_no_page_of_the_seed_site_has_an_html_error_of_ours(site_dir):
    assert len(html_files(site_dir)) > 50
    remaining, unused = ours(site_dir, "mkdocs")
    assert not remaining, report(remaining)
    assert unused == [], f"theme_html_errors.toml lists errors the checker no longer reports: {unused}"
