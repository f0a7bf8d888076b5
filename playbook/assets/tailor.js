// Tailor a checklist (the checklists' page): the reader picks a role, a PMO model and the phases
// their project is in, and gets the requirements in force that apply, MUST first, with a Markdown
// and a CSV download. All of it happens in the browser, from api/checklists.json; nothing is sent.
// Content is only ever set as text (textContent), never as markup.
(function () {
  "use strict";
  var LEVELS = ["MUST", "MUST NOT", "SHOULD", "SHOULD NOT", "MAY"];

  function siteRoot() {
    // Material defines __md_scope, the site's root, on every page; without it, this page's folder's parent
    return typeof window.__md_scope !== "undefined" ? new URL(window.__md_scope) : new URL("..", window.location.href);
  }

  function make(tag, text, attributes) {
    var element = document.createElement(tag);
    if (text) {
      element.textContent = text;
    }
    Object.keys(attributes || {}).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
    return element;
  }

  function choice(label, name, options, selected) {
    var field = make("label", label + " ", { "class": "pb-tailor__field" });
    var select = make("select", "", { name: name });
    options.forEach(function (option) {
      var item = make("option", option.title, { value: option.id });
      item.selected = option.id === selected;
      select.appendChild(item);
    });
    field.appendChild(select);
    return { field: field, select: select };
  }

  function chosen(form) {
    var phases = Array.prototype.filter.call(form.querySelectorAll("input[name=phase]"), function (box) {
      return box.checked;
    }).map(function (box) {
      return box.value;
    });
    return { role: form.role.value, model: form.model.value, phases: phases };
  }

  function applies(item, picked) {
    var inRole = !picked.role || item.roles.indexOf(picked.role) >= 0;
    var inModel = !picked.model || !item.models.length || item.models.indexOf(picked.model) >= 0;
    var inPhase = !item.phases.length || item.phases.some(function (phase) {
      return picked.phases.indexOf(phase) >= 0;
    });
    return inRole && inModel && inPhase;
  }

  function csvCell(value) {
    var text = String(value);
    if (/^[=+\-@\t\r]/.test(text)) {
      text = "'" + text;  // a spreadsheet shows it; it does not run it
    }
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function phaseTitles(data) {
    var titles = {};
    data.phases.forEach(function (phase) {
      titles[phase.id] = phase.title;
    });
    return titles;
  }

  function files(found, data, root, title) {
    var phaseTitle = phaseTitles(data);
    var markdown = ["# " + title, ""];
    var csv = [["Requirement", "Level", "Phase", "What it requires", "Link", "Status", "Evidence", "Comment"]
      .map(csvCell).join(",")];
    var group = null;
    found.forEach(function (item) {
      var phase = item.phase ? phaseTitle[item.phase] : data.throughout;
      var link = new URL(item.url, root).href;
      if (phase !== group) {
        group = phase;
        markdown.push("", "## " + phase, "");
      }
      markdown.push("- [ ] **" + item.level + "** [" + item.ref + "](" + link + "): " + item.text.replace(/\s+/g, " "));
      csv.push([item.ref, item.level, phase, item.text, link, "", "", ""].map(csvCell).join(","));
    });
    return { markdown: markdown.join("\n") + "\n", csv: "\ufeff" + csv.join("\r\n") + "\r\n" };
  }

  function render(host, form, data, root) {
    var picked = chosen(form);
    var found = data.items.filter(function (item) {
      return applies(item, picked);
    });
    var list = host.querySelector(".pb-tailor__list");
    list.textContent = "";
    var roleTitle = picked.role ? form.role.options[form.role.selectedIndex].text : "every role";
    var title = "Checklist: " + roleTitle;
    list.appendChild(make("p", found.length + " requirement" + (found.length === 1 ? "" : "s") + " for " + roleTitle + "."));
    var phaseTitle = phaseTitles(data);
    var group = null;
    var items = null;
    found.forEach(function (item) {
      var phase = item.phase ? phaseTitle[item.phase] : data.throughout;
      if (phase !== group) {
        group = phase;
        list.appendChild(make("h3", phase));
        items = list.appendChild(make("ul"));
      }
      var line = make("li");
      line.appendChild(make("strong", item.level));
      line.appendChild(document.createTextNode(" "));
      line.appendChild(make("a", item.ref, { href: new URL(item.url, root).href }));
      line.appendChild(document.createTextNode((item.trial ? " (on trial)" : "") + ": " + item.text));
      items.appendChild(line);
    });
    var made = files(found, data, root, title);
    [["md", made.markdown, "text/markdown"], ["csv", made.csv, "text/csv"]].forEach(function (kind) {
      var link = host.querySelector(".pb-tailor__download--" + kind[0]);
      if (link.href && link.href.indexOf("blob:") === 0) {
        URL.revokeObjectURL(link.href);
      }
      link.href = URL.createObjectURL(new Blob([kind[1]], { type: kind[2] + ";charset=utf-8" }));
      link.setAttribute("download", "checklist." + kind[0]);
    });
  }

  function build(host, data, root) {
    host.textContent = "";
    var form = make("form", "", { "class": "pb-tailor__form", "aria-label": "Tailor a checklist" });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    var role = choice("Role", "role", [{ id: "", title: "Every role" }].concat(data.roles), "");
    var model = choice("PMO model", "model", [{ id: "", title: "Any model" }].concat(data.models), data.model);
    form.appendChild(role.field);
    form.appendChild(model.field);
    var phases = make("fieldset", "", { "class": "pb-tailor__phases" });
    phases.appendChild(make("legend", "Phases your project is in"));
    data.phases.forEach(function (phase) {
      var label = make("label", "", { "class": "pb-tailor__phase" });
      var box = make("input", "", { type: "checkbox", name: "phase", value: phase.id });
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + phase.title));
      phases.appendChild(label);
    });
    form.appendChild(phases);
    var downloads = make("p", "Download: ", { "class": "pb-tailor__downloads" });
    downloads.appendChild(make("a", "Markdown (.md)", { "class": "md-button pb-tailor__download--md" }));
    downloads.appendChild(document.createTextNode(" "));
    downloads.appendChild(make("a", "Spreadsheet (.csv)", { "class": "md-button pb-tailor__download--csv" }));
    host.appendChild(form);
    host.appendChild(downloads);
    host.appendChild(make("div", "", { "class": "pb-tailor__list", "aria-live": "polite" }));
    form.addEventListener("change", function () {
      render(host, form, data, root);
    });
    render(host, form, data, root);
  }

  function setUp() {
    var host = document.getElementById("pb-tailor");
    if (!host || host.dataset.playbookTailor) {
      return;
    }
    host.dataset.playbookTailor = "1";
    var root = siteRoot();
    fetch(new URL("api/checklists.json", root).href)
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        build(host, data, root);
      })
      .catch(function () {
        host.textContent = "";
        host.appendChild(make("p", "The checklist data could not be loaded (open the site from a web server, not from disk); each role's checklist above has the whole list."));
      });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);  // Material: on load, and after each instant page change
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
