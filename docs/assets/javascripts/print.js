// The day a page is printed, in its print note (site_overrides/main.html): filled in when the
// page is shown and again just before it is printed, from the reader's own clock, as a Dutch
// date in a <time> with its ISO date (the page holds no empty <time>: HTML requires a date in
// one). Nothing is stored or sent.
(function () {
  "use strict";
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function fill() {
    var now = new Date();
    var day = now.toLocaleDateString("nl-NL", { day: "numeric", month: "long", year: "numeric" });
    var iso = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    document.querySelectorAll("[data-print-date]").forEach(function (note) {
      var time = document.createElement("time");
      time.dateTime = iso;
      time.textContent = day;
      note.querySelector("[data-print-day]").replaceChildren(time);
      note.hidden = false;
    });
  }
  fill();
  window.addEventListener("beforeprint", fill);
})();
