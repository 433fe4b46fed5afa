// Runs the browser's word diff (docs/assets/vergelijken/worddiff.js) under Node:
// reads [[old, new], ...] as JSON on stdin, prints [[{op, text}, ...], ...].
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
globalThis.diff_match_patch = require("../node_modules/diff-match-patch/index.js");
const { wordDiff } = await import("../docs/assets/vergelijken/worddiff.js");
const pairs = JSON.parse(readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(pairs.map(([a, b]) => wordDiff(a, b))));
