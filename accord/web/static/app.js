// Keyboard shortcuts only; every page works without this file (each key presses a visible button).
(function () {
  "use strict";
  var pendingG = false;
  function typing(e) { var t = e.target; return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)); }
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("article.cand")); }
  function current() {
    var c = cards(), a = document.activeElement;
    return { list: c, i: c.indexOf(a && a.closest ? a.closest("article.cand") : null) };
  }
  function press(sel) { var b = document.querySelector(sel); if (b) { b.click(); return true; } return false; }
  document.addEventListener("DOMContentLoaded", function () {
    // The review queue opens on its first candidate, so a single key acts at once.
    var first = cards()[0];
    if (first && !document.querySelector("[autofocus]")) first.focus();
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === "Escape") { var card = e.target.closest && e.target.closest("article.cand"); e.target.blur(); if (card) card.focus(); }
      return;
    }
    if (pendingG) {
      pendingG = false;
      var link = document.querySelector('header nav a[data-key="' + e.key + '"]');
      if (link) { e.preventDefault(); link.click(); return; }
      if (e.key === "d") { var d = document.getElementById("as_of"); if (d) { e.preventDefault(); d.focus(); } }
      return;
    }
    if (e.key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1200); return; }
    if (e.key === "u" && press('#undo button[data-act="undo"]')) { e.preventDefault(); return; }
    if (e.key === "b") { var m = document.getElementById("min_confidence"); if (m) { e.preventDefault(); m.focus(); m.select(); } return; }
    if (e.key === "y" && press('#confirm button[data-act="confirm"]')) { e.preventDefault(); return; }
    if (e.key === "n" && document.getElementById("confirm")) { e.preventDefault(); press("#confirm a"); return; }
    var cur = current();
    if (!cur.list.length) return;
    if (e.key === "j" || e.key === "k") {
      e.preventDefault();
      var n = cur.i < 0 ? 0 : Math.max(0, Math.min(cur.list.length - 1, cur.i + (e.key === "j" ? 1 : -1)));
      cur.list[n].focus(); cur.list[n].scrollIntoView({ block: "nearest" });
      return;
    }
    if (cur.i < 0) return;
    var act = { a: "accept", x: "reject" }[e.key];
    if (act) {
      var btn = cur.list[cur.i].querySelector('button[data-act="' + act + '"]');
      if (btn) { e.preventDefault(); btn.click(); }
    } else if (e.key === "e") {
      var field = cur.list[cur.i].querySelector(".review-form input:not([type=hidden])");
      if (field) { e.preventDefault(); field.focus(); field.select(); }
    }
  });
})();
