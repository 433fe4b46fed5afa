// Lists the standard-library modules that Pyodide's own start-up and the
// afwegingskader engine import, and compiles them to .pyc with Pyodide's own
// CPython (the only interpreter whose bytecode the site's Pyodide can run).
// Called by generator/stdlib.py at build time; not shipped.
//
// usage: node stdlib.mjs PYODIDE_DIR ENGINE_PY
// prints {"python": "3.14", "files": {"json/__init__.pyc": "<base64>", ...}}
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, enginePath] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/", stdout: () => {}, stderr: () => {} });
pyodide.FS.mkdirTree("/tmp/meldcode-engine");
pyodide.FS.writeFile("/tmp/meldcode-engine/afweging_engine.py", readFileSync(enginePath, "utf8"));
const out = pyodide.runPython(`
import sys

sys.path.insert(0, "/tmp/meldcode-engine")
import afweging_engine  # noqa: F401 - what the engine imports is what it needs

zip_path = "/lib/python%d%d.zip" % sys.version_info[:2]
prefix = zip_path + "/"
names = sorted({
    module.__file__[len(prefix):]
    for module in list(sys.modules.values())
    if (getattr(module, "__file__", None) or "").startswith(prefix)
})
# Only now import what compiling needs, so that it is not listed.
import base64, json, os, py_compile, zipfile

files = {}
with zipfile.ZipFile(zip_path) as stdlib:
    for name in names:
        source = "/tmp/meldcode-src/" + name
        os.makedirs(os.path.dirname(source), exist_ok=True)
        with open(source, "wb") as handle:
            handle.write(stdlib.read(name))
        compiled = py_compile.compile(
            source, cfile=source + "c", dfile=prefix + name, doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
        with open(compiled, "rb") as handle:
            files[name + "c"] = base64.b64encode(handle.read()).decode()
json.dumps({"python": "%d.%d" % sys.version_info[:2], "files": files})
`);
process.stdout.write(out);
