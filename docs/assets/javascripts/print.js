// The day a page is printed, in its print note (site_overrides/main.html): filled in when the
// page is shown and again just before it is printed, from the reader's own clock, as a Dutch
// date. Nothing is stored or sent.
(function () {
  "use strict";
  function fill() {
    var day = new Date().toLocaleDateString("nl-NL", { day: "numeric", month: "long", year: "numeric" });
    document.querySelectorAll("[data-print-date]").forEach(function (note) {
      note.querySelector("time").textContent = day;
      note.hidden = false;
    });
  }
  fill();
  window.addEventListener("beforeprint", fill);
})();
