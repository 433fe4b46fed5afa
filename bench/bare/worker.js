import { loadPyodide } from "../assets/pyodide/pyodide.mjs";
const base = new URL("../assets/pyodide/", import.meta.url).href;
const pyodide = await loadPyodide({ indexURL: base, lockFileURL: base + "pyodide-lock.json", packageBaseUrl: base });
self.postMessage(pyodide.runPython("sum(range(10))"));
