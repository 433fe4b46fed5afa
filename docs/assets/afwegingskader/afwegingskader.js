/*
 * Browser glue for the afwegingskader. It knows no rule of the kader: the
 * engine listed, at build time, every state a walk can reach and where each
 * command leads from it (engine.py, Flow.table), and the page embeds that
 * table as JSON. The glue only looks up table.states[state].go[command], so
 * every answer moves on at once, whatever the network. Every command also goes
 * to the engine (Pyodide in a Web Worker); when the engine is ready it has
 * replayed them all, and each must land on the state that was shown (the
 * engine names it by the same key). From then on each step waits for the
 * engine. Nodes are cloned from the page's own static kader; other words come
 * from <template>s and data- attributes. Nothing is stored, nothing leaves the
 * page, the URL never changes.
 *
 * A classic script, placed right after the tool in the page (main.html): it
 * runs as soon as the tool is parsed, before the theme's scripts, so the
 * question's buttons work from the moment they are visible.
 *
 * Every command names the node on screen, and a pointer click in the first
 * moment after another node appears does not count: an answer is never applied
 * to a question the user has not seen. The node the static kader showed counts
 * as seen, so a click on it as the tool takes over counts at once. A click that
 * does not count says so, in a live region.
 *
 * Machine-readable state for tests and benchmarks, on the root element:
 * data-engine is "loading", "ready", "failed" (no engine: the walk goes on by
 * the table, unremarked) or "error" (engine and table disagree: the walk
 * stops); data-node names the node shown; data-settled is "true" once a click
 * counts as an answer to the node shown.
 */
(() => {
  const SETTLE_MS = 600;

  const root = document.querySelector("[data-afwegingskader]");
  if (root) start(root, new URL(document.currentScript.src));

  function start(root, here) {
    const part = (name) => root.querySelector(`[data-afweging-${name}]`);
    const table = JSON.parse(part("table").textContent);
    const kader = part("kader").textContent;
    const nodes = part("nodes");
    const current = part("current");
    const status = part("status");
    const controls = part("controls");
    const back = part("back");
    const restart = part("restart");
    const actions = part("actions");
    const copied = part("copied");
    const dropped = part("dropped");

    // The key of the walk on screen (answers given, the answer being reconsidered), as the table names it.
    let state = table.start;
    let engineReady = false;
    let settled = false;
    let settleTimer = null;
    // The node on screen and since when: the one the static kader shows has been seen already.
    let shownNode = staticShown();
    let shownSince = -Infinity;
    let worker = null;
    let seq = 0;
    const sent = new Map(); // seq -> {command, shown}: shown is the state already on screen (table mode), else null

    root.dataset.engine = "loading";
    nodes.hidden = true;
    current.hidden = false;
    controls.hidden = false;
    dropped.hidden = false;
    render(false);

    root.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button || !root.contains(button)) return;
      if (button.hasAttribute("data-afweging-print")) return window.print();
      if (button.hasAttribute("data-afweging-copy")) return copyOutcome();
      // A pointer click in the first moment after a node appeared was aimed at the one before.
      if (event.detail > 0 && !settled) {
        dropped.textContent = dropped.dataset.message;
        return;
      }
      dropped.textContent = "";
      const shown = root.dataset.node;
      if (button.dataset.answer) {
        const node = button.closest("[data-node]").dataset.node;
        command({ do: "answer", node, label: button.dataset.answer });
      } else if (button.dataset.change) {
        command({ do: "change", node: button.dataset.change, from: shown });
      } else if (button === back) command({ do: "back", node: shown });
      else if (button === restart) command({ do: "restart" });
    });

    // What the worker boots from (Pyodide's folder, the standard library, the
    // engine's source), embedded in the page before this script: nothing to fetch before
    // Pyodide's own files. Without it (a site built without the plugin) the walk goes on from
    // the table alone.
    const bootData = document.querySelector("script[data-afweging-boot]");
    if (!bootData) return noEngine();
    try {
      if (typeof WebAssembly !== "object") throw new Error("no WebAssembly");
      worker = new Worker(new URL("worker.js", here), { type: "module" });
    } catch (error) {
      return noEngine();
    }
    worker.onerror = noEngine;
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "ready") {
        engineReady = true;
        confirmReady();
      } else if (message.type === "failed") {
        noEngine();
      } else if (message.type === "state") {
        fromEngine(message);
      }
    };
    const boot = JSON.parse(bootData.textContent);
    worker.postMessage({
      type: "init",
      kader,
      boot: { ...boot, pyodide: new URL(boot.pyodide, here).href, stdlib: new URL(boot.stdlib, here).href },
    });

    /* Before the engine is ready: look the command up and show at once; the engine checks later. */
    function command(cmd) {
      if (root.dataset.engine === "error") return;
      if (engineReady) {
        unsettle(); // until the engine's answer is on screen, another click is not for it
        return post(cmd, null);
      }
      const next = lookup(state, cmd);
      if (next === undefined) return; // meant for a node no longer on screen
      state = next;
      render(true);
      if (worker) post(cmd, next);
    }

    function post(cmd, shown) {
      seq += 1;
      sent.set(seq, { command: cmd, shown });
      worker.postMessage({ type: "command", seq, command: cmd });
    }

    function fromEngine(message) {
      const { command: cmd, shown } = sent.get(message.seq);
      sent.delete(message.seq);
      if (root.dataset.engine === "error") return;
      if (shown !== null) {
        // A replayed command: the engine must land exactly where the page went.
        if (message.error || message.key !== shown) return disagree();
        return confirmReady();
      }
      const next = lookup(state, cmd);
      if (message.error) {
        // Refused: a second click for a node no longer on screen. The table must refuse it too.
        if (next !== undefined) return disagree();
        return settleLater();
      }
      if (next === undefined || message.key !== next) return disagree();
      state = next;
      render(true);
    }

    function confirmReady() {
      if (!engineReady || root.dataset.engine !== "loading") return;
      for (const { shown } of sent.values()) if (shown !== null) return; // replay not yet confirmed
      root.dataset.engine = "ready";
      performance.mark("afwegingskader-ready");
    }

    /* The state a command leads to from this one, or undefined: the engine refuses it. */
    function lookup(from, cmd) {
      const go = table.states[from].go;
      const key = commandKey(cmd);
      return Object.prototype.hasOwnProperty.call(go, key) ? go[key] : undefined;
    }

    /* The command as the table names it (engine.py, command_key): do, node, from, label, those it has. */
    function commandKey(cmd) {
      return ["do", "node", "from", "label"].filter((name) => name in cmd).map((name) => cmd[name]).join(" ");
    }

    /* No engine (no WebAssembly, no worker, Pyodide did not load): the table is the engine's own output. */
    function noEngine() {
      if (root.dataset.engine !== "loading" && root.dataset.engine !== "ready") return;
      if (worker) worker.terminate();
      worker = null;
      engineReady = false;
      sent.clear();
      root.dataset.engine = "failed";
    }

    /* Engine and table disagree: stop rather than show a node that may be wrong. */
    function disagree() {
      if (worker) worker.terminate();
      worker = null;
      root.dataset.engine = "error";
      status.hidden = false;
      current.hidden = true;
      controls.hidden = true;
      actions.hidden = true;
      status.querySelector("a").focus();
    }

    /* Show the node the walk is at, cloned from the static kader and made interactive. */
    function render(focus) {
      const shown = table.states[state];
      const nodeId = shown.node;
      const node = staticNode(nodeId).cloneNode(true);
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
        if (shown.earlier === link.dataset.answer) {
          button.classList.add("afweging__answer--earlier");
          button.append(template("earlier"));
        }
        link.replaceWith(button);
      }
      for (const link of node.querySelectorAll(".afweging__restart-link")) link.parentElement.remove();
      const path = node.querySelector("[data-afweging-path]");
      if (path) {
        path.hidden = false;
        path.querySelector("[data-afweging-summary]").append(...shown.path.map(summaryRow));
      }
      const verslag = node.querySelector("[data-afweging-verslag]");
      if (verslag) {
        verslag.hidden = false;
        verslag.querySelector("[data-afweging-date]").textContent = new Date().toLocaleDateString("nl-NL", {
          day: "numeric", month: "long", year: "numeric",
        });
      }
      if (nodeId !== shownNode) {
        shownNode = nodeId;
        shownSince = performance.now();
        dropped.textContent = "";
      }
      root.dataset.node = nodeId;
      current.replaceChildren(node);
      back.hidden = lookup(state, { do: "back", node: nodeId }) === undefined;
      restart.hidden = state === table.start; // nothing to forget
      actions.hidden = node.dataset.kind !== "outcome";
      copied.textContent = "";
      settleLater();
      if (focus) node.querySelector(".afweging__title").focus();
    }

    function unsettle() {
      settled = false;
      root.dataset.settled = "false";
      clearTimeout(settleTimer);
    }

    /* A pointer click counts once the node has been on screen for a moment (at once if it had). */
    function settleLater() {
      unsettle();
      const wait = SETTLE_MS - (performance.now() - shownSince);
      if (wait <= 0) return settle();
      settleTimer = setTimeout(settle, wait);
    }

    function settle() {
      settled = true;
      root.dataset.settled = "true";
    }

    /* The node the static kader shows (the linked one, else the first), before the tool takes over. */
    function staticShown() {
      const shown = [...nodes.children].find((el) => el.getClientRects().length > 0);
      return shown ? shown.dataset.node : null;
    }

    function staticNode(nodeId) {
      return nodes.querySelector(`:scope > [data-node="${CSS.escape(nodeId)}"]`);
    }

    function template(name) {
      return part(name).content.cloneNode(true);
    }

    /* One line of "Uw antwoorden": the question, the answer and a Wijzig button bound to it. */
    function summaryRow([nodeId, label]) {
      const row = template("summary-row");
      const question = staticNode(nodeId).querySelector(".afweging__question");
      for (const slot of row.querySelectorAll('[data-slot="number"]')) slot.textContent = table.numbers[nodeId];
      row.querySelector('[data-slot="question"]').textContent = question.textContent;
      row.querySelector('[data-slot="answer"]').textContent = label;
      row.querySelector("button").dataset.change = nodeId;
      return row;
    }

    async function copyOutcome() {
      root.classList.add("afweging--copying"); // leaves the Wijzig buttons out of the text
      const text = current.innerText.trim();
      root.classList.remove("afweging--copying");
      try {
        await navigator.clipboard.writeText(text);
        copied.textContent = copied.dataset.done;
      } catch (error) {
        copied.textContent = copied.dataset.failed;
      }
    }
  }
})();
