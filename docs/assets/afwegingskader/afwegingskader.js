/*
 * Browser glue for the afwegingskader. It knows nothing of the rules: it sends
 * what the user clicks to the engine (in a Web Worker, via Pyodide) and shows
 * the node the engine names, cloned from the page's own static HTML. Nothing
 * is stored, nothing leaves the page, the URL never changes.
 *
 * Machine-readable state for tests and benchmarks: data-engine on the root is
 * "loading", "ready" or "failed"; data-node names the node shown.
 */
const TIMEOUT_MS = 20000;

const root = document.querySelector("[data-afwegingskader]");
if (root) start(root);

function start(root) {
  const here = new URL(import.meta.url);
  const part = (name) => root.querySelector(`[data-afweging-${name}]`);
  const nodes = part("nodes");
  const current = part("current");
  const status = part("status");
  const controls = part("controls");
  const actions = part("actions");
  const copied = part("copied");
  const kader = part("kader").textContent;
  const firstNode = nodes.querySelector("[data-node]");
  let state = null;
  let worker = null;
  let timer = null;

  root.dataset.engine = "loading";
  nodes.hidden = true;
  current.hidden = false;
  controls.hidden = false;
  show(firstNode.dataset.node, [], false);

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !root.contains(button)) return;
    if (button.dataset.answer) send({ do: "answer", label: button.dataset.answer });
    else if (button.hasAttribute("data-afweging-back")) send({ do: "back" });
    else if (button.hasAttribute("data-afweging-restart")) send({ do: "restart" });
    else if (button.hasAttribute("data-afweging-print")) window.print();
    else if (button.hasAttribute("data-afweging-copy")) copyOutcome();
  });

  // What the worker boots from (Pyodide's folder, the standard library, the
  // engine's source), embedded in the page: nothing to fetch before Pyodide's own files.
  const bootData = document.querySelector("script[data-afweging-boot]");
  if (!bootData) {
    fallback("de rekenmodule ontbreekt op deze pagina.");
    return;
  }
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    fallback("uw browser ondersteunt geen WebAssembly of Web Workers.");
    return;
  }
  try {
    worker = new Worker(new URL("worker.js", here), { type: "module" });
  } catch (error) {
    fallback("de rekenmodule kon niet worden gestart.");
    return;
  }
  timer = setTimeout(() => fallback("het starten duurde te lang."), TIMEOUT_MS);
  worker.onerror = () => fallback("de rekenmodule gaf een fout.");
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "ready") {
      clearTimeout(timer);
      root.dataset.engine = "ready";
      performance.mark("afwegingskader-ready");
      if (!state) setBusy(false);
    } else if (message.type === "failed") {
      fallback("de rekenmodule kon niet laden (" + message.reason + ").");
    } else if (message.type === "state") {
      state = message.state;
      show(state.node, state.path, true);
      controls.querySelector("[data-afweging-back]").disabled = !state.can_go_back;
      if (message.error) status.textContent = message.error;
    }
  };
  const boot = JSON.parse(bootData.textContent);
  worker.postMessage({
    type: "init",
    kader,
    boot: { ...boot, pyodide: new URL(boot.pyodide, here).href, stdlib: new URL(boot.stdlib, here).href },
  });
  controls.querySelector("[data-afweging-back]").disabled = true;

  function send(command) {
    if (root.dataset.engine === "failed") return;
    if (root.dataset.engine !== "ready") setBusy(true);
    worker.postMessage({ type: "command", command });
  }

  function setBusy(busy) {
    const note = current.querySelector(".afweging__busy");
    if (busy && !note) {
      const p = document.createElement("p");
      p.className = "afweging__busy";
      p.textContent = "Uw antwoord is ontvangen. Het hulpmiddel start nog; de volgende vraag verschijnt zodra het klaar is.";
      current.append(p);
    } else if (!busy && note) {
      note.remove();
    }
  }

  /* Show one node of the static kader, made interactive. */
  function show(nodeId, path, focus) {
    const source = nodes.querySelector(`[data-node="${CSS.escape(nodeId)}"]`);
    const node = source.cloneNode(true);
    for (const el of [node, ...node.querySelectorAll("[id]")]) {
      if (el.id) el.id = "actief-" + el.id;
    }
    if (node.hasAttribute("aria-labelledby")) {
      node.setAttribute("aria-labelledby", "actief-" + node.getAttribute("aria-labelledby"));
    }
    for (const link of node.querySelectorAll("a[data-answer]")) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button afweging__answer";
      button.dataset.answer = link.dataset.answer;
      button.textContent = link.textContent;
      link.replaceWith(button);
    }
    for (const link of node.querySelectorAll(".afweging__restart-link")) link.parentElement.remove();
    const pathBox = node.querySelector("[data-afweging-path]");
    if (pathBox) {
      pathBox.hidden = false;
      pathBox.append(renderPath(path));
    }
    root.dataset.node = nodeId;
    current.replaceChildren(node);
    actions.hidden = node.dataset.kind !== "outcome";
    copied.textContent = "";
    if (focus) node.querySelector(".afweging__title").focus();
  }

  function renderPath(path) {
    const box = document.createDocumentFragment();
    const title = document.createElement("h3");
    title.textContent = "Uw antwoorden";
    const list = document.createElement("ol");
    list.className = "afweging__path-list";
    for (const step of path) {
      const question = nodes.querySelector(`[data-node="${CSS.escape(step.question)}"]`);
      const item = document.createElement("li");
      item.textContent = `Vraag ${step.number}: ${question.querySelector(".afweging__question").textContent} Antwoord: ${step.answer}`;
      list.append(item);
    }
    const date = document.createElement("p");
    date.className = "afweging__date";
    date.textContent = "Datum: " + new Date().toLocaleDateString("nl-NL", { day: "numeric", month: "long", year: "numeric" });
    box.append(title, list, date);
    return box;
  }

  async function copyOutcome() {
    const text = current.innerText.trim();
    try {
      await navigator.clipboard.writeText(text);
      copied.textContent = "De uitkomst is gekopieerd als tekst.";
    } catch (error) {
      copied.textContent = "Kopiëren lukte niet. Selecteer de tekst van de uitkomst en kopieer die zelf.";
    }
  }

  /* The interactive version could not start: offer the static kader. */
  function fallback(reason) {
    if (root.dataset.engine === "failed") return;
    clearTimeout(timer);
    if (worker) worker.terminate();
    root.dataset.engine = "failed";
    status.hidden = false;
    status.textContent =
      "De interactieve versie kon niet starten: " + reason +
      " Hieronder staat het hele afwegingskader: kies bij elke vraag de link van uw antwoord.";
    current.hidden = true;
    controls.hidden = true;
    actions.hidden = true;
    nodes.hidden = false;
    root.classList.add("afweging--fallback");
    showStatic(firstNode);
    nodes.addEventListener("click", (event) => {
      const link = event.target.closest('a[href^="#"]');
      if (!link) return;
      event.preventDefault(); // no fragment in the URL, no history entry
      const target = nodes.querySelector(`[data-node="${CSS.escape(link.getAttribute("href").slice(1))}"]`);
      if (target) showStatic(target, true);
    });
  }

  function showStatic(target, focus) {
    for (const node of nodes.querySelectorAll("[data-node]")) node.classList.toggle("is-shown", node === target);
    root.dataset.node = target.dataset.node;
    if (focus) target.querySelector(".afweging__title").focus();
  }
}
