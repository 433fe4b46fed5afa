/*
 * Bench only (bench/snapshot.py), never shipped: docs/assets/afwegingskader/boot.mjs
 * booting from a Pyodide memory snapshot that bench/snapshot.mjs made of the same
 * boot with the engine imported. boot.snapshot names the snapshot file in the
 * Pyodide folder. The snapshot holds the wasm heap only: Pyodide still fetches
 * the standard library (installStdlib runs either way, and a module not imported
 * at snapshot time is read from it), and the engine's source is written to the
 * file system again as the shipped boot does; sys.path and the imported engine
 * come from the snapshot.
 */
export async function bootEngine(boot) {
  const snapshot = fetch(new URL(boot.snapshot, boot.pyodide)).then((response) => {
    if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(boot.pyodide + "pyodide.mjs");
  const base = new URL(boot.pyodide);
  const pyodide = await loadPyodide({
    indexURL: base.href,
    stdLibURL: boot.stdlib,
    lockFileContents: boot.lock,
    packageBaseUrl: base.href,
    stdout: () => {},
    stderr: () => {},
    _loadSnapshot: snapshot,
  });
  pyodide.FS.mkdirTree("/home/pyodide/meldcode");
  pyodide.FS.writeFile("/home/pyodide/meldcode/afweging_engine.py", boot.engine);
  return pyodide.pyimport("afweging_engine").handle;
}
