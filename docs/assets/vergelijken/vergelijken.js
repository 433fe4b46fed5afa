/*
 * Comparison picker: the choice lives only in the query string (?v=id&v=id),
 * never in storage. The page defines the tables once: <template
 * data-compare-layout> holds them without protocols, and each chosen
 * protocol's JSON fragment holds its column, rendered by the same template.
 * This script fills the layout and marks every cell against the first
 * protocol's, with the marks in <template data-compare-marks> and the word
 * diff of worddiff.js (the same rules as the Python side's); past the diff's
 * limit a cell gets the note from that template and keeps its text unmarked.
 */
import { changed, wordDiff } from "./worddiff.js";

const MAX_CHOSEN = 6;
const here = new URL(import.meta.url);
const siteRoot = new URL("../../", here);
const picker = document.querySelector("[data-compare-picker]");

if (picker) start();

async function start() {
  const view = document.querySelector("[data-compare-view]");
  const status = document.querySelector("[data-compare-status]");
  const legend = document.querySelector("[data-compare-legend]");
  const toggle = document.querySelector("[data-compare-switch]");
  const boxes = [...picker.querySelectorAll("input[name=v]")];
  const known = new Set(boxes.map((box) => box.value));
  const chosen = [...new Set(new URLSearchParams(location.search).getAll("v"))].filter((id) => known.has(id));
  for (const box of boxes) box.checked = chosen.includes(box.value);

  const originals = new Map();
  const markAll = () => mark(view, toggle.getAttribute("aria-pressed") === "true", originals);
  toggle.addEventListener("click", () => {
    toggle.setAttribute("aria-pressed", toggle.getAttribute("aria-pressed") === "true" ? "false" : "true");
    markAll();
  });
  legend.hidden = false;

  if (chosen.length > 0) {
    const shown = chosen.slice(0, MAX_CHOSEN);
    try {
      const fragments = await Promise.all(
        shown.map(async (id) => {
          const response = await fetch(new URL(`vergelijken/varianten/${encodeURIComponent(id)}.json`, siteRoot));
          if (!response.ok) throw new Error(id);
          return response.json();
        }),
      );
      view.replaceChildren(fill(document.querySelector("template[data-compare-layout]"), fragments));
      view.dataset.chosen = shown.join(" ");
      status.textContent =
        `U vergelijkt ${shown.length} ${shown.length === 1 ? "protocol" : "protocollen"}: ` +
        fragments.map((f) => f.title).join(", ") +
        (chosen.length > shown.length ? `. Er worden er hoogstens ${MAX_CHOSEN} tegelijk getoond.` : ".");
    } catch (error) {
      status.textContent = "De gekozen protocollen konden niet worden geladen; hieronder staan alle protocollen.";
    }
  }
  markAll();
}

/* The empty layout with one column per fragment, in the order chosen; it replaces the static
   tables, so its headings take their ids (data-compare-id in the layout, so no id is there twice). */
function fill(layout, fragments) {
  const tables = layout.content.cloneNode(true);
  for (const heading of tables.querySelectorAll("[data-compare-id]")) heading.id = heading.dataset.compareId;
  for (const fragment of fragments) {
    const parsed = document.createElement("template");
    parsed.innerHTML = fragment.html; // inert: a template's content runs nothing
    const head = parsed.content.querySelector("th[data-key=head]");
    const link = head.querySelector("a");
    link.href = new URL(link.getAttribute("href"), siteRoot).href;
    for (const row of tables.querySelectorAll("tr[data-key=head]")) row.append(head.cloneNode(true));
    for (const row of parsed.content.querySelectorAll("tbody tr[data-key]")) {
      tables.querySelector(`tbody tr[data-key="${CSS.escape(row.dataset.key)}"]`).append(...row.querySelectorAll(":scope > td"));
    }
  }
  return tables;
}

function marks() {
  const content = document.querySelector("template[data-compare-marks]").content;
  return {
    del: content.querySelector("del"),
    ins: content.querySelector("ins"),
    different: content.querySelector(".compare-different"),
    tooMany: content.querySelector(".diff-too-many"),
  };
}

/* Mark every cell against the first protocol's cell in its row. */
function mark(view, switchOn, originals) {
  const kinds = marks();
  for (const row of view.querySelectorAll("tr[data-compare-mark]")) {
    const cells = [...row.querySelectorAll("td")];
    for (const cell of cells) {
      if (!originals.has(cell)) originals.set(cell, [...cell.childNodes]);
      cell.replaceChildren(...originals.get(cell));
      cell.classList.remove("compare-cell--different");
    }
    if (cells.length < 2) continue;
    const reference = cells[0].textContent;
    const how = row.dataset.compareMark;
    if (how === "switch" && !switchOn) continue;
    for (const cell of cells.slice(1)) {
      const segments = wordDiff(reference, cell.textContent);
      if (!changed(segments)) continue;
      if (how === "cell") {
        cell.classList.add("compare-cell--different");
        cell.prepend(kinds.different.cloneNode(true));
      } else if (segments[0].op === "old") {
        cell.prepend(kinds.tooMany.cloneNode(true), " "); // past the diff's limit: said, and the text as it is
      } else {
        cell.replaceChildren(...segments.flatMap((segment, index) => {
          const space = index > 0 ? [document.createTextNode(" ")] : [];
          if (segment.op === "same") return [...space, document.createTextNode(segment.text)];
          const marked = (segment.op === "delete" ? kinds.del : kinds.ins).cloneNode(true);
          marked.lastElementChild.before(segment.text);
          return [...space, marked];
        }));
      }
    }
  }
}
