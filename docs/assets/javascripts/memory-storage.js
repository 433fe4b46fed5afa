/*
 * The theme's storage helpers, kept in memory for the life of the page.
 * mkdocs-material remembers things (palette, tabs, versions) in Web Storage;
 * the handbook promises to store nothing in the browser, so these helpers
 * ignore the storage they are given and forget everything on the next load.
 */
(function () {
  var memory = new Map();
  window.__md_scope = new URL(document.currentScript.dataset.scope || ".", document.currentScript.src.replace(/assets\/javascripts\/[^/]*$/, ""));
  window.__md_hash = function (value) {
    return Array.from(value).reduce(function (hash, ch) { return (hash << 5) - hash + ch.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, _storage, scope) {
    var name = (scope || window.__md_scope).pathname + "." + key;
    return memory.has(name) ? JSON.parse(memory.get(name)) : null;
  };
  window.__md_set = function (key, value, _storage, scope) {
    memory.set((scope || window.__md_scope).pathname + "." + key, JSON.stringify(value));
  };
})();
