// The body's word count and reading time (under the editor), counted again as the writer types:
// from the body's HTML as the editor writes it into the form, the way newsroom/lib/html.py
// word_count counts it on the server (so a pull quote's, a fact box's and a table's words count,
// and the chrome the editor shows around a picture or an embed does not).
// Announced politely, once the typing pauses, never on every keystroke.
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
  var PAUSE = 800; // milliseconds without a change before the count is updated

  function describe(words, perMinute) {
    var minutes = Math.max(1, Math.round(words / perMinute));
    return words + (words === 1 ? " word" : " words") + " · " + minutes + " min read";
  }

  // The server's word_count: blocks and line breaks part words, tags never join them.
  function wordsOf(html) {
    var spaced = html.replace(/<\//g, " </").replace(/<br/gi, " <br");
    var text = new DOMParser().parseFromString(spaced, "text/html").body.textContent || "";
    return (text.match(WORD) || []).length;
  }

  function setUp(output) {
    var row = output.closest(".form-row") || output.parentElement;
    var perMinute = Number(output.dataset.wordsPerMinute) || 230;
    var timer = null;

    function count() {
      timer = null;
      var body = row.querySelector("textarea");
      if (!body) {
        return;
      }
      var text = describe(wordsOf(body.value), perMinute);
      if (output.textContent !== text) {
        output.textContent = text;
      }
    }

    // The editor writes the body into its textarea and fires "input" on every change.
    row.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(count, PAUSE);
    });
  }

  document.querySelectorAll(".desk-wordcount").forEach(setUp);
})();
