/*
 * Comparison picker: the choice lives only in the query string (?v=id&v=id),
 * never in storage. Chosen variants are fetched as small JSON fragments from
 * this site and laid out like the static tables; every table is then marked
 * word by word (jsdiff's diffWords) against its reference cell.
 */
const MAX_CHOSEN = 6;
const here = new URL(import.meta.url);
const siteRoot = new URL("../../", here);
const picker = document.querySelector("[data-compare-picker]");

if (picker) start();

async function start() {
  const staticBox = document.querySelector("[data-compare-static]");
  const chosenBox = document.querySelector("[data-compare-chosen]");
  const status = document.querySelector("[data-compare-status]");
  const boxes = [...picker.querySelectorAll("input[name=v]")];
  const known = new Set(boxes.map((box) => box.value));
  const chosen = [...new Set(new URLSearchParams(location.search).getAll("v"))].filter((id) => known.has(id));
  for (const box of boxes) box.checked = chosen.includes(box.value);

  if (chosen.length === 0) {
    markAll(staticBox);
    return;
  }
  const shown = chosen.slice(0, MAX_CHOSEN);
  try {
    const fragments = await Promise.all(
      shown.map(async (id) => {
        const response = await fetch(new URL(`vergelijken/varianten/${encodeURIComponent(id)}.json`, siteRoot));
        if (!response.ok) throw new Error(id);
        return response.json();
      }),
    );
    chosenBox.replaceChildren(...render(fragments, staticBox));
  } catch (error) {
    status.textContent = "De gekozen protocollen konden niet worden geladen; hieronder staan alle protocollen.";
    markAll(staticBox);
    return;
  }
  staticBox.hidden = true;
  chosenBox.hidden = false;
  markAll(chosenBox);
  status.textContent =
    `U vergelijkt ${shown.length} ${shown.length === 1 ? "protocol" : "protocollen"}: ` +
    shown.map((id) => picker.querySelector(`input[value="${CSS.escape(id)}"]`).parentElement.textContent.trim()).join(", ") +
    (chosen.length > shown.length ? `. Er worden er hoogstens ${MAX_CHOSEN} tegelijk getoond.` : ".");
}

function element(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  el.append(...children);
  return el;
}

/* A table that may scroll sideways, reachable by keyboard. */
function scroll(label, table) {
  return element("div", { class: "compare-scroll", tabindex: "0", role: "region", "aria-label": label }, table);
}

/* The same tables as the static page, for the chosen fragments. */
function render(fragments, staticBox) {
  const out = [];
  for (const table of staticBox.querySelectorAll("table[data-compare-step]")) {
    const number = Number(table.dataset.compareStep);
    const heading = staticBox.querySelector(`#stap-${number}`);
    const basis = table.querySelector("tr[data-row=wat] td[data-reference]").textContent;
    const head = element("tr", {}, element("td"), element("th", { scope: "col" }, "Basismodel"),
      ...fragments.map((f) => element("th", { scope: "col" }, element("a", { href: new URL(f.url, siteRoot).href }, f.title))));
    const rows = ["wat", "wie", "hoe"].map((row) => {
      const label = { wat: "Wat", wie: "Wie", hoe: "Hoe" }[row];
      const first = row === "wat" ? element("td", { "data-reference": "" }, basis) : element("td", {}, "(niet in het basismodel)");
      return element("tr", { "data-row": row }, element("th", { scope: "row" }, label), first,
        ...fragments.map((f) => element("td", {}, f.steps[number - 1][row])));
    });
    out.push(element("h2", { id: `gekozen-stap-${number}` }, heading.textContent));
    out.push(scroll(`Stap ${number} naast elkaar`,
      element("table", { class: "compare-table", "data-compare-step": String(number) },
        element("caption", {}, `Stap ${number} naast elkaar`),
        element("thead", {}, head), element("tbody", {}, ...rows))));
  }
  out.push(element("h2", { id: "gekozen-contacten" }, "Contacten"));
  const contactRows = [
    ["Veilig Thuis", (f) => f.contacts.veilig_thuis],
    ["Telefoon", (f) => f.contacts.phone],
    ["Het protocol noemt zelf", (f) => f.contacts.as_written || "niets"],
    ["Wie meldt", (f) => f.contacts.melder],
  ];
  out.push(scroll("Contacten naast elkaar", element("table", { class: "compare-table compare-table--facts" },
    element("caption", {}, "Veilig Thuis en wie meldt"),
    element("thead", {}, element("tr", {}, element("td"), ...fragments.map((f) => element("th", { scope: "col" }, f.title)))),
    element("tbody", {}, ...contactRows.map(([label, value]) =>
      element("tr", {}, element("th", { scope: "row" }, label), ...fragments.map((f) => element("td", {}, value(f)))))))));
  const presenceHead = staticBox.querySelector(".compare-table--presence thead").cloneNode(true);
  out.push(element("h2", { id: "gekozen-onderdelen" }, "Welke onderdelen heeft elk protocol?"));
  out.push(scroll("Onderdelen per protocol", element("table", { class: "compare-table compare-table--presence" },
    element("caption", {}, "Onderdelen per protocol"), presenceHead,
    element("tbody", {}, ...fragments.map((f) => element("tr", { "data-variant": f.id }, element("th", { scope: "row" }, f.title),
      ...f.presence.map((p) => element("td", { "data-kind": p.kind, "data-present": p.section || p.steps.length ? "ja" : "nee" },
        p.section ? "ja" : p.steps.length ? `genoemd in stap ${p.steps.join(", ")}` : "nee"))))))));
  return out;
}

/* Mark every variant cell against its row's reference: wat against the basismodel, wie and hoe against the first variant. */
function markAll(box) {
  for (const table of box.querySelectorAll("table[data-compare-step]")) {
    for (const row of table.querySelectorAll("tbody tr")) {
      const cells = [...row.querySelectorAll("td")];
      const reference = row.dataset.row === "wat" ? cells[0] : cells[1];
      if (!reference) continue;
      const referenceText = reference.textContent;
      for (const cell of cells.slice(row.dataset.row === "wat" ? 1 : 2)) mark(cell, referenceText);
    }
  }
}

function mark(cell, referenceText) {
  const parts = Diff.diffWords(referenceText, cell.textContent, { ignoreCase: true });
  if (!parts.some((part) => part.added || part.removed)) return;
  cell.replaceChildren(...parts.map((part) => {
    if (!part.added && !part.removed) return document.createTextNode(part.value);
    const hidden = element("span", { class: "md-visually-hidden" }, part.added ? "[toegevoegd: " : "[ontbreekt: ");
    const close = element("span", { class: "md-visually-hidden" }, "]");
    return element(part.added ? "ins" : "del", {}, hidden, part.value, close);
  }));
}
