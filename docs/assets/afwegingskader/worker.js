/*
 * Runs the afwegingskader engine (engine.py, the same file the tests run in
 * CPython) in Pyodide, off the main thread; boot.mjs starts it. Holds the answers given so far in
 * this worker's memory only; they are gone when the page goes. Commands that
 * arrive while Pyodide starts are replayed in order before "ready"; each reply
 * carries the command's seq and the engine's key for the walk, so the page can
 * check it against the state it showed.
 */
import { bootEngine } from "./boot.mjs";

let handle = null;
let kader = null;
let answers = "[]";
const pending = [];

function run({ seq, command }) {
  const out = JSON.parse(handle(kader, answers, JSON.stringify(command)));
  answers = JSON.stringify(out.answers);
  self.postMessage({ type: "state", seq, state: out.state, key: out.key, error: out.error });
}

async function init(message) {
  handle = await bootEngine(message.boot);
  kader = message.kader;
  // Prove the engine answers before saying it is ready.
  JSON.parse(handle(kader, "[]", JSON.stringify({ do: "state" })));
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "init") {
    try {
      await init(message);
    } catch (error) {
      self.postMessage({ type: "failed", reason: String(error && error.message ? error.message : error) });
      return;
    }
    while (pending.length) run(pending.shift());
    self.postMessage({ type: "ready" });
  } else if (message.type === "command") {
    if (handle) run(message);
    else pending.push(message);
  }
};
