/*
 * Boots the afwegingskader engine (engine.py, the same file the tests run in
 * CPython) in Pyodide and returns its handle(kader, answers, command)
 * function. The worker runs this, and so does the Pyodide test under Node.js
 * (tests/pyodide_engine.mjs), with the same boot data the page embeds: a
 * broken boot fails a test before it reaches a reader.
 *
 * boot: {pyodide, stdlib, lock, engine} as the page's data-afweging-boot
 * holds them, with pyodide and stdlib as absolute URLs. Only Pyodide's wasm,
 * its script and the slim standard library are fetched: the lock data comes
 * inline (no package is loaded) and so does the engine's source.
 */
export async function bootEngine(boot) {
  const { loadPyodide } = await import(boot.pyodide + "pyodide.mjs");
  const base = new URL(boot.pyodide);
  const pyodide = await loadPyodide({
    // Under Node.js Pyodide wants a file path, not a file: URL.
    indexURL: base.protocol === "file:" ? decodeURIComponent(base.pathname) : base.href,
    stdLibURL: boot.stdlib,
    lockFileContents: boot.lock,
    packageBaseUrl: base.href,
    stdout: () => {},
    stderr: () => {},
  });
  pyodide.FS.mkdirTree("/home/pyodide/meldcode");
  pyodide.FS.writeFile("/home/pyodide/meldcode/afweging_engine.py", boot.engine);
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/meldcode')");
  return pyodide.pyimport("afweging_engine").handle;
}
