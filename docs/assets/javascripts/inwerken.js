// The inwerken page (inwerken.md.j2): what the page does without JavaScript, said aloud and
// made a button. The self-check works without it (each answer is a <details>); this only puts
// the verdict of an answer just opened in its question's live region, so that a screen reader
// says it, and shows the button that prints the leesbevestiging. It knows no rule and no answer:
// the verdict is the page's own text. Nothing is stored or sent; reloading forgets.
(function () {
  "use strict";
  document.addEventListener("toggle", function (event) {
    var option = event.target;
    if (!(option instanceof HTMLDetailsElement) || !option.matches("[data-selfcheck-option]") || !option.open) return;
    var question = option.closest("li.selfcheck__question");
    var status = question && question.querySelector("[data-selfcheck-status]");
    var verdict = option.querySelector("[data-verdict]");
    if (status && verdict) status.textContent = verdict.textContent.trim();
  }, true);
  document.querySelectorAll("[data-print-button]").forEach(function (holder) {
    holder.hidden = false;
    holder.querySelector("button").addEventListener("click", function () { window.print(); });
  });
})();
