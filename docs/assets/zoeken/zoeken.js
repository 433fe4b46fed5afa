// The search page: a small form over Pagefind's JavaScript API.
//
// Pagefind's index is split into small files; a query loads only the index
// chunks for its words and the fragments of the results it shows. Everything comes from
// this site (pagefind/ is written at build time); nothing is stored and the
// query never enters the URL. All wording is in the page (data-label-*).

const form = document.querySelector("[data-zoeken]");
const input = form && form.querySelector("input[type=search]");
const status = document.querySelector("[data-zoeken-status]");
const list = document.querySelector("[data-zoeken-results]");
const more = document.querySelector("[data-zoeken-more]");
const PAGE = 10;

// The site root, from this file's place (assets/zoeken/zoeken.js), so the
// site works in any folder of any web server.
const root = new URL("../../", import.meta.url);

let pagefind = null;
let results = [];
let query = "";
let shown = 0;
let generation = 0;

function label(name, n) {
  return (form.dataset[name] || "").replace("{n}", String(n));
}

// One Pagefind for the page: the first keystroke and the Enter key that follows it both ask for
// it, and must share it (two would each fetch every file twice). It runs on this thread
// (noWorker): a worker would download Pagefind's code a second time for a search that takes
// milliseconds. The index is one, however many pages (generator/release/search.py).
function load() {
  if (!pagefind) {
    pagefind = (async () => {
      const api = await import(new URL("pagefind/pagefind.js", root).href);
      await api.options({ baseUrl: root.pathname, excerptLength: 30, noWorker: true });
      await api.init();
      return api;
    })();
    pagefind.catch(() => {
      pagefind = null; // a failed download may be tried again with the next query
    });
  }
  return pagefind;
}

// Pagefind's excerpts are HTML with <mark> around the words found. Parse them
// inertly and copy only text and <mark>, so protocol text stays text.
function excerpt(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  for (const node of template.content.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.append(node.textContent);
    } else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(node.textContent);
    }
  }
  return out;
}

// The part of the page the words were found in: a step of the step table
// (stap-N) or another heading; the page itself when it is the first heading.
// The part in which the most words of the query as typed were found wins (so
// "drie" in a query picks step 3 even if "van" and "school" are more often in
// another step, and "Driemaster" does not count for "drie"); then Pagefind's
// scores. A part's words are read at its locations in the page's text, split as
// Pagefind splits it (its excerpt, 30 words, may end before the last of them).
const plain = (word) => word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");

function wordsFound(sub, terms, words) {
  const found = new Set((sub.locations || []).map((at) => plain(words[at] || "")));
  return terms.filter((term) => found.has(term)).length;
}

function score(sub) {
  return (sub.weighted_locations || []).reduce((sum, w) => sum + (w.balanced_score || 0), 0);
}

function bestSubResult(data, query) {
  const terms = [...new Set(query.split(/\s+/).map(plain).filter(Boolean))];
  const words = (data.content || "").split(/[^\S\uFEFF]+/);
  const subs = (data.sub_results || []).filter((s) => s.anchor && s.anchor.element !== "h1");
  if (!subs.length) return null;
  const rank = (s) => [wordsFound(s, terms, words), score(s)];
  return subs.reduce((best, s) => {
    const [a, b] = [rank(s), rank(best)];
    return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]) ? s : best;
  });
}

function item(data, query) {
  const li = document.createElement("li");
  li.className = "zoeken__result";
  const heading = document.createElement("h2");
  heading.className = "zoeken__title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  li.append(heading);
  const facts = [data.meta.versie && `${label("labelVersion")} ${data.meta.versie}`, data.meta.soort, data.meta.regio]
    .filter(Boolean);
  if (facts.length) {
    const p = document.createElement("p");
    p.className = "zoeken__facts";
    p.textContent = facts.join(" · ");
    li.append(p);
  }
  const sub = bestSubResult(data, query);
  const p = document.createElement("p");
  p.className = "zoeken__excerpt";
  if (sub) {
    const where = document.createElement("a");
    where.href = sub.url;
    where.className = "zoeken__where";
    where.textContent = sub.title;
    p.append(where, ": ");
    p.append(excerpt(sub.excerpt));
  } else {
    p.append(excerpt(data.excerpt));
  }
  li.append(p);
  return li;
}

// Each result's fragment is fetched when the result is to be shown, and a result is shown
// as soon as it and those above it have arrived: the first does not wait for the tenth.
async function showMore(current) {
  const batch = results.slice(shown, shown + PAGE);
  const pending = batch.map((r) => r.data());
  for (const data of pending) {
    const d = await data;
    if (current !== generation) return;
    list.append(item(d, query));
  }
  shown += batch.length;
  more.hidden = shown >= results.length;
}

async function run(term, debounce) {
  const current = ++generation;
  if (!term.trim()) {
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    return;
  }
  let search;
  try {
    const api = await load();
    search = debounce ? await api.debouncedSearch(term, {}, 300) : await api.search(term);
  } catch (error) {
    status.textContent = label("labelError");
    return;
  }
  if (search === null || current !== generation) return;
  results = search.results;
  query = term;
  shown = 0;
  list.replaceChildren();
  await showMore(current);
  if (current !== generation) return;
  // The list now answers this query (until here it may still show the one before).
  list.dataset.query = term;
  const n = results.length;
  status.textContent = n === 0 ? label("labelNone") : n === 1 ? label("labelOne") : label("labelOther", n);
}

if (form && input) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value, false);
  });
  input.addEventListener("input", () => run(input.value, true));
  more.addEventListener("click", async () => {
    const first = shown;
    await showMore(generation);
    const next = list.children[first];
    const link = next && next.querySelector("a");
    if (link) link.focus();
  });
  // Words typed before this module ran (it runs after the page is parsed; on a slow network
  // that can be after the first keystrokes) are searched for too.
  if (input.value.trim()) run(input.value, false);
}
