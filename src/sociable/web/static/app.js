// Sociable: progressive enhancement. Every form works without this file; it adds keyboard
// shortcuts (j/k/r/f/e/?), confirmation for destructive forms, and live items (SSE).
(function () {
  "use strict";
  var help = document.getElementById("help");

  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".cards .card")); }
  function selected() { return document.querySelector(".card.selected"); }

  function select(card) {
    var old = selected();
    if (old) old.classList.remove("selected");
    if (!card) return;
    card.classList.add("selected");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var i = all.indexOf(selected());
    select(all[Math.max(0, Math.min(all.length - 1, i < 0 ? 0 : i + step))]);
  }

  function current() { return selected() || document.querySelector(".card.detail"); }

  function follow(key) {
    var card = current();
    if (!card) return;
    var target = card.querySelector('[data-key="' + key + '"]');
    if (!target) {
      // On an item page: jump to the form instead.
      var field = document.getElementById(key === "r" ? "reply" : key === "f" ? "flag" : "");
      if (key === "e") target = document.querySelector('form[data-key="e"]');
      if (field) { field.focus(); return; }
    }
    if (!target) return;
    if (target.tagName === "FORM") target.requestSubmit(); else target.click();
  }

  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    if (ev.ctrlKey || ev.metaKey || ev.altKey || tag === "input" || tag === "textarea" || tag === "select") return;
    var keys = { j: function () { move(1); }, k: function () { move(-1); },
      r: function () { follow("r"); }, f: function () { follow("f"); }, e: function () { follow("e"); },
      "?": function () { if (help && help.showModal) help.showModal(); },
      Enter: function () { var c = selected(); if (c && ev.target === c) c.querySelector("h2 a").click(); } };
    var fn = keys[ev.key];
    if (fn) { ev.preventDefault(); fn(); }
  });

  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("[data-help]") && help) help.showModal();
  });

  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });

  // Arriving from "r" or "f" on Today: put the cursor in the reply or the flag note.
  var wanted = { "#reply": "reply", "#flag": "flag" }[window.location.hash];
  if (wanted && document.getElementById(wanted)) document.getElementById(wanted).focus();

  // Live: new items arrive as server-sent events and are placed by priority; items on the page
  // that changed (new activity folded in, or handled by someone else) are replaced or removed.
  var list = document.getElementById("cards");
  if (list && list.dataset.live && window.EventSource) {
    var status = document.getElementById("live-status");
    var source = new EventSource(list.dataset.live);
    source.addEventListener("item", function (ev) {
      var data = JSON.parse(ev.data);
      var shown = document.getElementById("item-" + data.id);
      if (data.removed) {
        if (shown) {
          var name = shown.querySelector("h2").textContent.trim();
          shown.remove();
          if (status) status.textContent = "Handled elsewhere: " + name;
        }
        return;
      }
      if (shown && !data.updated) return;
      var holder = document.createElement("div");
      holder.innerHTML = data.html;
      var card = holder.firstElementChild;
      var others = cards().filter(function (c) { return c !== shown; });
      var before = others.filter(function (c) { return Number(c.dataset.priority) < data.priority; })[0];
      // A changed item not on the page only comes in if it now ranks among what is shown.
      if (!shown && data.updated && !before && others.length >= 30) return;
      var focused = shown && shown.contains(document.activeElement);
      if (shown && shown.classList.contains("selected")) card.classList.add("selected");
      if (shown) shown.remove();
      card.classList.add("fresh");
      list.insertBefore(card, before || null);
      if (focused) card.focus({ preventScroll: true });
      var empty = document.getElementById("empty");
      if (empty) empty.remove();
      if (status) status.textContent = (shown ? "Updated: " : "New: ") + card.querySelector("h2").textContent.trim();
    });
  }
})();
