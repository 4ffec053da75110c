// The search box's suggestion list: an ARIA 1.2 combobox (keyboard, screen reader, right-to-left).
// Typing asks /suggest; Down/Up move through the list, Enter opens the choice (a name runs its
// filter, a word its search), Escape closes it. Without JavaScript the box is a plain search box.
(function () {
  "use strict";
  var input = document.querySelector("input[role=combobox]");
  var list = document.getElementById("suggestions");
  var status = document.getElementById("suggestions-status");
  if (!input || !list) return;
  var KINDS = {person: "شخص", place: "مكان", org: "منظمة", source: "مصدر", word: "كلمة"};
  var items = [], active = -1, timer = null, asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function mark(n) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (o, i) { o.setAttribute("aria-selected", i === n ? "true" : "false"); });
    active = n;
    if (n >= 0) input.setAttribute("aria-activedescendant", options[n].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(found) {
    items = found;
    list.textContent = "";
    found.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var value = document.createElement("span");
      value.className = "value";
      value.textContent = s.value;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KINDS[s.kind] || "";
      var n = document.createElement("span");
      n.className = "n";
      n.textContent = s.count + " مقال";
      li.append(value, kind, n);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); go(i); });
      list.appendChild(li);
    });
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = found.length + " اقتراحات";
    } else {
      close();
      status.textContent = "";
    }
    active = -1;
  }

  function go(i) {
    if (i < 0 || i >= items.length) return;
    window.location.href = items[i].url;
  }

  function ask() {
    var q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (!q || q.indexOf(":") >= 0 || q.indexOf('"') >= 0) { show([]); return; }
    fetch("/suggest?q=" + encodeURIComponent(q), {headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
      .then(function (body) { if (input.value.trim() === q) show(body.suggestions || []); })
      .catch(function () { show([]); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      mark((active + 1) % items.length);
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
      e.preventDefault();
      go(active);
    } else if (e.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
