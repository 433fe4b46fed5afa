/*
 * Abbreviations explained to keyboard and touch readers, as text. The plugin wraps every
 * abbreviation of begrippen.yaml in <abbr title>; a mouse shows the browser's own title. Here
 * each one outside a control can take focus from a tap, and the first of each on a page from Tab
 * too; handboek.css then shows the title after it (`content: attr(title)`: text, never HTML).
 * The theme's tooltips are off because they insert a title as HTML (D31).
 */
(function () {
  var seen = new Set();
  document.querySelectorAll(".md-content abbr[title]").forEach(function (abbr) {
    if (abbr.closest("a, button, label, summary, select, textarea, [tabindex]")) return;
    var title = abbr.getAttribute("title");
    abbr.tabIndex = seen.has(title) ? -1 : 0;
    seen.add(title);
  });
})();
