/**
 * The JavaScript inlined in every report (plain browser JS, no libraries, nothing loaded): click a table
 * header to sort by that column (numbers by value, via data-sort), and hover any SVG element with a
 * <title> (heatmap cells, histogram bars, graph nodes) to see its details in a tooltip next to the pointer.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw !== null && raw !== "") return Number(raw);
    var text = cell.textContent.trim();
    var n = Number(text);
    return text !== "" && !isNaN(n) ? n : text.toLowerCase();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (typeof x !== typeof y) return (typeof x === "number" ? -1 : 1) * (asc ? 1 : -1);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var tip = document.getElementById("tip");
  if (!tip) return;
  document.querySelectorAll("svg title").forEach(function (t) {
    var target = t.parentNode;
    var text = t.textContent;
    // Graphviz titles its whole drawing ("G"); that is no detail worth a tooltip.
    if (target.getAttribute("class") === "graph") { target.removeChild(t); return; }
    target.setAttribute("data-tip", text);
    target.removeChild(t); // no native tooltip on top of ours
  });
  document.addEventListener("mousemove", function (e) {
    var el = e.target && e.target.closest ? e.target.closest("[data-tip]") : null;
    if (!el) { tip.style.display = "none"; return; }
    tip.textContent = el.getAttribute("data-tip");
    tip.style.display = "block";
    var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    tip.style.left = x + "px";
    tip.style.top = (e.clientY + 16) + "px";
  });
})();
`;
