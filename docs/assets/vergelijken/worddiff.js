/*
 * Word-by-word differences between two texts: the browser's half of
 * generator/site/diff.py, with the same rules (tests/test_worddiff.py feeds
 * the same pairs to both and requires the same segments):
 * - a word is a run of non-white-space characters (white space as Python's
 *   str.split() sees it);
 * - words are compared without regard to case; an unchanged stretch is shown
 *   as the new text writes it;
 * - Google's diff-match-patch (the same library as on the Python side), one
 *   private-use character per distinct word, no time limit, then
 *   diff_cleanupSemantic;
 * - past MAX_WORD_PAIRS (old words x new words between the words both texts
 *   start and end with), or with more distinct words there than codes, the
 *   texts are not marked: [{op: "old", text}, {op: "new", text}].
 * Needs the global diff_match_patch (assets/diff-match-patch/diff_match_patch.js).
 */

/* Python's str.split() separators; JavaScript's \s differs in \x1c-\x1f, \x85 and \ufeff. */
const SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const FIRST_CODE = 0xe000;
const LAST_CODE = 0xf8ff;
/* generator/site/diff.py's MAX_WORD_PAIRS: the diff's time grows with this product. */
export const MAX_WORD_PAIRS = 1000000;

export function words(text) {
  return text.split(SPACE).filter((word) => word !== "");
}

/* How many words a and b start with and end with alike (case ignored). */
function sharedEnds(a, b) {
  const shortest = Math.min(a.length, b.length);
  let start = 0;
  while (start < shortest && a[start].toLowerCase() === b[start].toLowerCase()) start += 1;
  let end = 0;
  while (end < shortest - start && a[a.length - 1 - end].toLowerCase() === b[b.length - 1 - end].toLowerCase()) end += 1;
  return [start, end];
}

function charDiff(textA, textB) {
  const engine = new globalThis.diff_match_patch();
  engine.Diff_Timeout = 0;
  const diffs = engine.diff_main(textA, textB, false);
  engine.diff_cleanupSemantic(diffs);
  return diffs;
}

/* [{op: "same" | "insert" | "delete", text}], adjacent segments of one kind merged; past the
   limit [{op: "old", text}, {op: "new", text}]. */
export function wordDiff(oldText, newText) {
  const a = words(oldText);
  const b = words(newText);
  const whole = [{ op: "old", text: a.join(" ") }, { op: "new", text: b.join(" ") }];
  const [start, end] = sharedEnds(a, b);
  if ((a.length - start - end) * (b.length - start - end) > MAX_WORD_PAIRS) return whole;
  const codes = new Map();
  const encode = (list) => {
    let out = "";
    for (const word of list) {
      const key = word.toLowerCase();
      if (!codes.has(key)) {
        if (FIRST_CODE + codes.size > LAST_CODE) return null;
        codes.set(key, String.fromCharCode(FIRST_CODE + codes.size));
      }
      out += codes.get(key);
    }
    return out;
  };
  let textA = encode(a);
  let textB = textA === null ? null : encode(b);
  let diffs;
  if (textA !== null && textB !== null) {
    diffs = charDiff(textA, textB);
  } else {
    codes.clear();
    textA = encode(a.slice(start, a.length - end));
    textB = textA === null ? null : encode(b.slice(start, b.length - end));
    if (textA === null || textB === null) return whole;
    diffs = [[0, "x".repeat(start)], ...charDiff(textA, textB), [0, "x".repeat(end)]];
  }
  const segments = [];
  const add = (op, list) => {
    if (list.length === 0) return;
    const last = segments[segments.length - 1];
    if (last && last.op === op) last.text += " " + list.join(" ");
    else segments.push({ op, text: list.join(" ") });
  };
  let i = 0;
  let j = 0;
  for (const diff of diffs) {
    const op = diff[0];
    const n = diff[1].length;
    if (op === 0) {
      add("same", b.slice(j, j + n));
      i += n;
      j += n;
    } else if (op === -1) {
      add("delete", a.slice(i, i + n));
      i += n;
    } else {
      add("insert", b.slice(j, j + n));
      j += n;
    }
  }
  return segments;
}

export function changed(segments) {
  return segments.some((segment) => segment.op !== "same");
}
