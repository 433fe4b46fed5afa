// Makes a Pyodide memory snapshot of the afwegingskader engine, for the bench-only
// trial of bench/snapshot.py (not shipped). Boots Pyodide under Node.js as
// docs/assets/afwegingskader/boot.mjs does (same options, same slim standard
// library, same inline lock data, the engine's source written and imported),
// plus Pyodide's private `_makeSnapshot` option; calls the engine's handle once
// with {"do": "state"}, as the worker does before it says "ready", so whatever
// that first call imports is in the snapshot too; then writes
// pyodide.makeMemorySnapshot() (header, hiwire table, the whole wasm heap) to OUT.
//
// Reads {boot, kader, out} as JSON on stdin; boot as the tool page embeds it,
// with pyodide (a file: URL of the Pyodide folder, ending in /) and stdlib (a file:
// URL) absolute. The snapshot only loads into the same pyodide.asm.wasm (its
// build id is checked), so make it from the site's own copy of Pyodide.
import { readFileSync, writeFileSync } from "node:fs";

const { boot, kader, out } = JSON.parse(readFileSync(0, "utf8"));
const { loadPyodide } = await import(boot.pyodide + "pyodide.mjs");
const base = new URL(boot.pyodide);
const pyodide = await loadPyodide({
  indexURL: decodeURIComponent(base.pathname),
  stdLibURL: boot.stdlib,
  lockFileContents: boot.lock,
  packageBaseUrl: base.href,
  stdout: () => {},
  stderr: () => {},
  _makeSnapshot: true,
});
pyodide.FS.mkdirTree("/home/pyodide/meldcode");
pyodide.FS.writeFile("/home/pyodide/meldcode/afweging_engine.py", boot.engine);
pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/meldcode')");
const handle = pyodide.pyimport("afweging_engine").handle;
JSON.parse(handle(kader, "[]", JSON.stringify({ do: "state" })));
handle.destroy();
const snapshot = pyodide.makeMemorySnapshot();
writeFileSync(out, snapshot);
process.stdout.write(JSON.stringify({ bytes: snapshot.length, heap: pyodide._module.HEAP8.length }));
