// Checklists that can be ticked: a role's checklist, a guide's steps. Markdown task lists are
// disabled boxes; on a page that has them, this enables each box, names it by its item (for screen
// readers), and keeps the ticks in this browser's local storage, per page and item. Nothing leaves
// the browser.
(function () {
  "use strict";
  var PREFIX = "pmo-playbook:ticked:";

  // An item is known by the address it links to (a requirement's anchor), else by its words, so a
  // tick stays with its item when the list around it changes.
  function nameOf(item, index) {
    var link = item.querySelector("a[href]");
    if (link) {
      return "link:" + link.getAttribute("href");
    }
    var words = item.textContent.replace(/\s+/g, " ").trim();
    return words ? "text:" + words.slice(0, 200) : "item:" + index;
  }

  function read(store) {
    try {
      var kept = JSON.parse(window.localStorage.getItem(store) || "{}");
      return kept && typeof kept === "object" ? kept : {};
    } catch (error) {
      return {};  // storage blocked or damaged: the boxes still tick, for this visit
    }
  }

  function setUp() {
    var boxes = document.querySelectorAll(".md-content .task-list-item input[type=checkbox]");
    if (!boxes.length) {
      return;
    }
    var store = PREFIX + window.location.pathname;
    var ticked = read(store);
    Array.prototype.forEach.call(boxes, function (box, index) {
      var item = box.closest("li");
      if (!item || box.dataset.playbookTick) {
        return;
      }
      var name = nameOf(item, index);
      box.dataset.playbookTick = "1";
      box.disabled = false;
      box.setAttribute("aria-label", item.textContent.replace(/\s+/g, " ").trim().slice(0, 200));
      box.checked = ticked[name] === true;
      box.addEventListener("change", function () {
        if (box.checked) {
          ticked[name] = true;
        } else {
          delete ticked[name];
        }
        try {
          window.localStorage.setItem(store, JSON.stringify(ticked));
        } catch (error) {
          // storage full or blocked: the tick holds for this visit only
        }
      });
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
