// Keyboard shortcuts only; every page works without this file.
(function () {
  "use strict";
  var pendingG = false;
  function typing(e) { var t = e.target; return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)); }
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("article.cand")); }
  function current() { var c = cards(); var i = c.indexOf(document.activeElement.closest ? document.activeElement.closest("article.cand") : null); return { list: c, i: i }; }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    if (pendingG) {
      pendingG = false;
      var link = document.querySelector('header nav a[data-key="' + e.key + '"]');
      if (link) { e.preventDefault(); link.click(); return; }
      if (e.key === "d") { var d = document.getElementById("as_of"); if (d) { e.preventDefault(); d.focus(); } }
      return;
    }
    if (e.key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1200); return; }
    var cur = current();
    if (!cur.list.length) return;
    if (e.key === "j" || e.key === "k") {
      e.preventDefault();
      var n = cur.i < 0 ? 0 : Math.max(0, Math.min(cur.list.length - 1, cur.i + (e.key === "j" ? 1 : -1)));
      cur.list[n].focus(); cur.list[n].scrollIntoView({ block: "nearest" });
    } else if ((e.key === "a" || e.key === "x") && cur.i >= 0) {
      var btn = cur.list[cur.i].querySelector('button[data-act="' + (e.key === "a" ? "accept" : "reject") + '"]');
      if (btn) { e.preventDefault(); btn.click(); }
    }
  });
})();
