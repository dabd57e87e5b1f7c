// harness report: select a record to highlight its evidence; rest on a highlight to see its records;
// filter and order the documents. Event delegation only, so 1,000 documents cost no start-up time.
(function () {
  "use strict";
  var list = document.getElementById("doc-list");
  var documents = Array.prototype.slice.call(list.children);
  var selected = null;

  function keysOf(element) {
    return (element.getAttribute("data-r") || "").split(" ").filter(Boolean);
  }

  function intersects(element, keys) {
    return keysOf(element).some(function (key) { return keys.indexOf(key) >= 0; });
  }

  function each(root, selector, action) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), action);
  }

  function clearSelection() {
    if (!selected) return;
    each(selected.doc, "mark.ev.on", function (mark) { mark.classList.remove("on"); });
    each(selected.doc, "button.rec[aria-pressed='true']", function (b) { b.setAttribute("aria-pressed", "false"); });
    each(selected.doc, ".pair.selected", function (pair) { pair.classList.remove("selected"); });
    var status = selected.doc.querySelector(".selection");
    if (status) status.textContent = "";
    selected = null;
  }

  // Highlight the evidence of the records with these keys, in the document holding `source`.
  function select(keys, source, label) {
    var doc = source.closest("details.doc");
    var same = selected && selected.doc === doc && selected.keys.join(" ") === keys.join(" ");
    clearSelection();
    if (same || !doc) return;
    selected = { doc: doc, keys: keys };
    var marks = [];
    each(doc, "mark.ev", function (mark) { if (intersects(mark, keys)) { mark.classList.add("on"); marks.push(mark); } });
    each(doc, "button.rec", function (b) { if (keys.indexOf(b.getAttribute("data-r")) >= 0) b.setAttribute("aria-pressed", "true"); });
    var pair = source.closest(".pair");
    if (pair) pair.classList.add("selected");
    var status = doc.querySelector(".selection");
    if (status) {
      status.textContent = marks.length
        ? label + ": " + marks.length + " highlighted passage(s) in the text"
        : label + ": no evidence of it lies in the text";
    }
    if (marks.length) marks[0].scrollIntoView({ block: "nearest" });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.rec");
    if (button) { select(keysOf(button), button, button.textContent.trim()); return; }
    var pair = event.target.closest(".pair");
    if (pair && !event.target.closest("summary, a, button")) {
      select(keysOf(pair), pair, pair.getAttribute("aria-label"));
    }
  });

  function markCiting(mark, on) {
    var doc = mark.closest("details.doc");
    var keys = keysOf(mark);
    mark.classList.toggle("hover", on);
    each(doc, "button.rec", function (b) {
      if (keys.indexOf(b.getAttribute("data-r")) >= 0) {
        b.classList.toggle("cites", on);
        b.closest(".pair").classList.toggle("cites", on);
      }
    });
  }
  list.addEventListener("mouseover", function (event) {
    var mark = event.target.closest("mark.ev");
    if (mark) markCiting(mark, true);
  });
  list.addEventListener("mouseout", function (event) {
    var mark = event.target.closest("mark.ev");
    if (mark) markCiting(mark, false);
  });

  var onlyProblems = document.getElementById("only-problems");
  var order = document.getElementById("order");
  var shown = document.getElementById("shown");

  function problems(doc) { return Number(doc.getAttribute("data-problems")); }

  function refresh() {
    var sorted = documents.slice();
    if (order.value === "problems") {
      sorted.sort(function (a, b) { return problems(b) - problems(a) || documents.indexOf(a) - documents.indexOf(b); });
    }
    var fragment = document.createDocumentFragment();
    var count = 0;
    sorted.forEach(function (doc) {
      doc.hidden = onlyProblems.checked && problems(doc) === 0;
      count += doc.hidden ? 0 : 1;
      fragment.appendChild(doc);
    });
    list.appendChild(fragment);
    shown.textContent = "showing " + count + " of " + documents.length + " document(s)";
  }
  onlyProblems.addEventListener("change", refresh);
  order.addEventListener("change", refresh);

  function setOpen(open) {
    documents.forEach(function (doc) { if (!doc.hidden) doc.open = open; });
  }
  document.getElementById("expand-all").addEventListener("click", function () { setOpen(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { setOpen(false); });

  function openFromHash() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.matches("details.doc")) { target.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  shown.textContent = "showing " + documents.length + " of " + documents.length + " document(s)";
})();
