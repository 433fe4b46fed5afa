"""axe-core (from the pinned npm package), run inside a page by the tests."""

from __future__ import annotations

from conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def violations(page) -> list[dict]:
    """WCAG 2.1 A/AA violations, and axe's best practices (named dialogs, heading order, one h1,
    landmarks), on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluate() is not subject to the page's CSP, unlike an injected <script>.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
            return r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }));
        }"""
    )
    return result
