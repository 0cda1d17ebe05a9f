// The body's word count and reading time (under the editor), counted again as the writer types:
// from the editor's text, the way newsroom/lib/html.py word_count counts them on the server.
// Announced politely, once the typing pauses, never on every keystroke.
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
  var PAUSE = 800; // milliseconds without a change before the count is updated

  function describe(words, perMinute) {
    var minutes = Math.max(1, Math.round(words / perMinute));
    return words + (words === 1 ? " word" : " words") + " · " + minutes + " min read";
  }

  function setUp(output) {
    var row = output.closest(".form-row") || output.parentElement;
    var perMinute = Number(output.dataset.wordsPerMinute) || 230;
    var timer = null;

    function count() {
      timer = null;
      var editor = row.querySelector(".ProseMirror[contenteditable]");
      if (!editor) {
        return;
      }
      var words = (editor.innerText.match(WORD) || []).length;
      var text = describe(words, perMinute);
      if (output.textContent !== text) {
        output.textContent = text;
      }
    }

    new MutationObserver(function (changes) {
      var inEditor = changes.some(function (change) {
        var node = change.target.nodeType === 1 ? change.target : change.target.parentElement;
        return node && node.closest(".ProseMirror[contenteditable]");
      });
      if (!inEditor) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(count, PAUSE);
    }).observe(row, { childList: true, characterData: true, subtree: true });
  }

  document.querySelectorAll(".desk-wordcount").forEach(setUp);
})();
