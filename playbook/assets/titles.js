// Tooltips show titles as text. Material's content.tooltips writes an element's `title` into
// innerHTML (its inline and header tooltips), and copies a truncated nav entry's innerText into
// `title` (its ellipsis patch): a title holding markup became markup. Loaded before Material's
// bundle, this makes the `title` property give the attribute's text HTML-escaped, so every tooltip
// shows exactly what was written; setting `title` is unchanged.
(function () {
  "use strict";
  var native = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "title");
  var escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escape(character) {
    return escapes[character];
  }

  Object.defineProperty(HTMLElement.prototype, "title", {
    configurable: true,
    enumerable: native ? native.enumerable : true,
    get: function () {
      return (this.getAttribute("title") || "").replace(/[&<>"']/g, escape);
    },
    set: native && native.set ? native.set : function (value) {
      this.setAttribute("title", value);
    },
  });
})();
