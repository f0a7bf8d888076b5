// Tables that scroll sideways can be scrolled from the keyboard. The theme wraps each table in a
// scrolling box (.md-typeset__scrollwrap) that Tab never reaches, so on a phone the columns past the
// edge were out of reach without a pointer (WCAG 2.1.1). A box that overflows becomes a named region
// in the Tab order, and leaves it again when the window grows wide enough to show the whole table.
(function () {
  "use strict";

  function mark(box) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Table, scrolls sideways");
    } else if (box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function markAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), mark);
  }

  var pending = 0;
  window.addEventListener("resize", function () {
    window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(markAll);
  });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(markAll);  // Material: after it wraps the tables, and on each instant page change
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markAll);
  } else {
    markAll();
  }
})();
