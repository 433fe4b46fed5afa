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
 *   diff_cleanupSemantic.
 * Needs the global diff_match_patch (assets/diff-match-patch/diff_match_patch.js).
 */

/* Python's str.split() separators; JavaScript's \s differs in \x1c-\x1f, \x85 and \ufeff. */
const SPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const FIRST_CODE = 0xe000;
const LAST_CODE = 0xf8ff;

export function words(text) {
  return text.split(SPACE).filter((word) => word !== "");
}

/* [{op: "same" | "insert" | "delete", text}], adjacent segments of one kind merged. */
export function wordDiff(oldText, newText) {
  const a = words(oldText);
  const b = words(newText);
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
  const textA = encode(a);
  const textB = textA === null ? null : encode(b);
  let diffs;
  if (textA === null || textB === null) {
    diffs = [[-1, "x".repeat(a.length)], [1, "x".repeat(b.length)]];
  } else {
    const engine = new globalThis.diff_match_patch();
    engine.Diff_Timeout = 0;
    diffs = engine.diff_main(textA, textB, false);
    engine.diff_cleanupSemantic(diffs);
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
