// Runs the engine inside Pyodide under Node.js exactly as the site's worker
// boots it: the built site's own loader (assets/afwegingskader/boot.mjs), its
// Pyodide files and slim standard library, and the boot data its tool page
// embeds (the engine's source included). Reads {boot_module, boot, kader,
// walks} as JSON on stdin, where each walk is a list of commands; prints the
// handle() output of every command of every walk as JSON.
import { readFileSync } from "node:fs";

const input = JSON.parse(readFileSync(0, "utf8"));
const { bootEngine } = await import(input.boot_module);
const handle = await bootEngine(input.boot);
const results = input.walks.map((commands) => {
  let answers = "[]";
  return commands.map((command) => {
    const out = handle(input.kader, answers, JSON.stringify(command));
    answers = JSON.stringify(JSON.parse(out).answers);
    return JSON.parse(out);
  });
});
process.stdout.write(JSON.stringify({ results }));
