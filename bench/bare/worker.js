// Bare Pyodide as its npm package ships it (whole standard library, lock file),
// copied beside this file by bench/__main__.py.
import { loadPyodide } from "./pyodide/pyodide.mjs";
const base = new URL("./pyodide/", import.meta.url).href;
const pyodide = await loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json", packageBaseUrl: base });
self.postMessage(pyodide.runPython("sum(range(10))"));
