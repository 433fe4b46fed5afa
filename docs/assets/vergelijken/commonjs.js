/*
 * npm's diff-match-patch is a plain script that ends with `module.exports = ...`;
 * this gives it a `module` to write to, so it loads in the page without an error
 * and leaves its global diff_match_patch behind.
 */
var module = { exports: {} };
