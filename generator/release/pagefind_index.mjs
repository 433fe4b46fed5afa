// One Pagefind index of the pages named on standard input, written to one folder.
// Input (JSON): { "pagefind": <path of the npm package's lib/index.js>, "site": <built site>,
//   "out": <folder to write>, "language": "nl", "pages": [<site-relative paths of HTML files>],
//   "fallback": <a folder to read a page from that is not in "site", or null> }
// Pages are added one by one through Pagefind's Node API; search.py runs this once per shard,
// each in its own process, so that Pagefind's memory (it grows with the pages it holds) is
// given back between shards.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input);
const pagefind = await import(pathToFileURL(job.pagefind).href);

function fail(what, errors) {
  console.error(`${what}: ${errors.join("; ")}`);
  process.exit(1);
}

const created = await pagefind.createIndex({ forceLanguage: job.language });
if (created.errors && created.errors.length) fail("createIndex", created.errors);
async function read(page) {
  try {
    return await readFile(join(job.site, page), "utf8");
  } catch (error) {
    if (error.code !== "ENOENT" || !job.fallback) throw error;
    return await readFile(join(job.fallback, page), "utf8");
  }
}

for (const page of job.pages) {
  const added = await created.index.addHTMLFile({ sourcePath: page, content: await read(page) });
  if (added.errors && added.errors.length) fail(page, added.errors);
}
const written = await created.index.writeFiles({ outputPath: job.out });
if (written.errors && written.errors.length) fail("writeFiles", written.errors);
await pagefind.close();
