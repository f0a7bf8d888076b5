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

  // What the getter gave each element, so that putting it back (Material restores the title it read
  // when a tooltip closes) restores the text as written, not the escaped form of it.
  var given = new WeakMap();
  var setAttribute = Element.prototype.setAttribute;

  Object.defineProperty(HTMLElement.prototype, "title", {
    configurable: true,
    enumerable: native ? native.enumerable : true,
    get: function () {
      var text = this.getAttribute("title") || "";
      var escaped = text.replace(/[&<>"']/g, escape);
      given.set(this, { text: text, escaped: escaped });
      return escaped;
    },
    set: native && native.set ? native.set : function (value) {
      this.setAttribute("title", value);
    },
  });

  Element.prototype.setAttribute = function (name, value) {
    var last = String(name).toLowerCase() === "title" ? given.get(this) : undefined;
    var restored = last !== undefined && String(value) === last.escaped;
    return setAttribute.call(this, name, restored ? last.text : value);
  };
})();
