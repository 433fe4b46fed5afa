"""What a reader sees past the edge of the screen, measured inside a page by the tests."""

from __future__ import annotations

# Off-canvas by design: the navigation drawer, the search overlay, the skip link,
# the theme's dialogs and "terug naar boven" slide in from outside the window.
OFF_CANVAS = ".md-sidebar, .md-search, .md-skip, .md-dialog, .md-top"

_OVERFLOW = """(offCanvas) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const doc = document.scrollingElement;
  if (doc.scrollWidth > doc.clientWidth + 1) problems.push(`the page scrolls sideways: ${doc.scrollWidth} px in ${doc.clientWidth} px`);
  const shown = (el) => !el.closest(offCanvas) && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  // An element inside a box that clips (or scrolls) is measured by that box, not by itself.
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const past = (r) => r.width > 0 && (r.right > width + 1 || r.left < -1);
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${name(el)} must be scrolled sideways: ${el.scrollWidth} px in ${el.clientWidth} px`);
    }
    if (clipped(el)) continue;
    const box = el.getBoundingClientRect();
    if (past(box)) problems.push(`${name(el)} runs past the edge: ${Math.round(box.left)}..${Math.round(box.right)} px`);
    if (style.overflowX !== 'visible') continue;  // its own box clips its text
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (past(r)) { problems.push(`text "${node.textContent.trim().slice(0, 40)}" in ${name(el)} runs past the edge`); break; }
      }
    }
  }
  return problems;
}"""


def overflow(page) -> list[str]:
    """Everything on the page as it is now that lies past the window's left or right edge,
    and every box (a table's, the page's) that must be scrolled sideways to be read."""
    return page.evaluate(_OVERFLOW, OFF_CANVAS)
