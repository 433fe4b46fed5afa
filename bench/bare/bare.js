// The floor to compare the widget with: boot Pyodide in a worker, run one function.
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  performance.mark("bare-ready");
  document.getElementById("status").textContent = "klaar: " + event.data;
  document.body.dataset.ready = "1";
};
