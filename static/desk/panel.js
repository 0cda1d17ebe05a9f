// The workflow panel (templates/admin/articles/article/desk_panel.html): its one comment box says
// which action it goes with, and the time shows for the actions that ask for one. Without this
// script every field shows and the server still checks each action's own rules.
(function () {
  "use strict";

  function setUp(panel) {
    var primary = panel.querySelector(".desk-next__primary");
    var select = panel.querySelector(".desk-next__other select");
    var go = panel.querySelector(".desk-next__go");
    var label = panel.querySelector(".desk-next__label");
    var comment = label ? document.getElementById(label.htmlFor) : null;
    var extras = panel.querySelectorAll(".desk-next__extra");

    function update() {
      var option = select && select.value ? select.options[select.selectedIndex] : null;
      var chosen = option || primary;
      if (label) {
        label.textContent = chosen.dataset.commentLabel;
      }
      if (comment) {
        if (chosen.dataset.commentRequired) {
          comment.setAttribute("aria-required", "true");
        } else {
          comment.removeAttribute("aria-required");
        }
      }
      var names = [primary.dataset.action];
      if (option) {
        names.push(option.value);
      }
      extras.forEach(function (extra) {
        var wants = extra.dataset.for.split(" ");
        extra.hidden = !names.some(function (name) { return wants.indexOf(name) !== -1; });
      });
      if (go) {
        go.textContent = option ? option.textContent : "Do it";
        go.classList.toggle("default", Boolean(option));
        primary.classList.toggle("default", !option);
      }
    }

    if (select) {
      select.addEventListener("change", update);
    }
    update();
  }

  document.querySelectorAll(".desk-next").forEach(setUp);
})();
