// Runs generator/afwegingskader/engine.py inside Pyodide (the npm package the
// site ships) under Node.js. Reads {engine, kader, walks} as JSON on stdin,
// where each walk is a list of commands; prints the handle() output of every
// command of every walk as JSON.
import { loadPyodide } from "pyodide";
import { readFileSync } from "node:fs";

const input = JSON.parse(readFileSync(0, "utf8"));
const pyodide = await loadPyodide({ stdout: () => {}, stderr: () => {} });
pyodide.FS.mkdirTree("/home/pyodide/meldcode");
pyodide.FS.writeFile("/home/pyodide/meldcode/afweging_engine.py", readFileSync(input.engine, "utf8"));
pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/meldcode')");
const handle = pyodide.pyimport("afweging_engine").handle;
const version = pyodide.runPython("import sys; '%d.%d' % sys.version_info[:2]");
const results = input.walks.map((commands) => {
  let answers = "[]";
  return commands.map((command) => {
    const out = handle(input.kader, answers, JSON.stringify(command));
    answers = JSON.stringify(JSON.parse(out).answers);
    return JSON.parse(out);
  });
});
process.stdout.write(JSON.stringify({ python: version, results }));
