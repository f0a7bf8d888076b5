// "In force on a date": answers for the picked day from api/in-force.json, written at build time.
(function () {
  "use strict";

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  function cell(row, value, href) {
    var td = row.insertCell();
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = value;
      td.appendChild(a);
    } else {
      td.textContent = value;
    }
  }

  function show(result, data, day, base) {
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    ["Standard", "Version", "Status"].forEach(function (name) {
      var th = document.createElement("th");
      th.textContent = name;
      head.appendChild(th);
    });
    var body = table.createTBody();
    var missing = 0;
    data.standards.forEach(function (standard) {
      var state = null;
      standard.periods.forEach(function (period) {
        if (period.from <= day) state = period;
      });
      if (!state) { missing += 1; return; }
      var row = body.insertRow();
      cell(row, standard.id + " " + standard.title, new URL(standard.url, base).href);
      cell(row, state.version, new URL(state.url, base).href);
      cell(row, state.status);
    });
    var intro = document.createElement("p");
    intro.textContent = "On " + day + ":" + (missing ? " (" + missing + " standards did not exist yet)" : "");
    result.replaceChildren(intro, table);
  }

  function start() {
    var input = document.getElementById("pb-in-force-date");
    var result = document.getElementById("pb-in-force-result");
    if (!input || !result || input.dataset.ready) return;
    input.dataset.ready = "1";
    var base = siteBase();
    fetch(new URL("api/in-force.json", base)).then(function (response) {
      return response.json();
    }).then(function (data) {
      input.value = data.built;
      input.addEventListener("change", function () {
        if (input.value) show(result, data, input.value, base);
      });
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(start);  // Material's instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
