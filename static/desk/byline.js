// The story form's byline: put names in order by dragging a row by its handle, or with the
// "Move up" / "Move down" buttons (the keyboard's way, and a screen reader's). Each move rewrites
// the rows' hidden position numbers in the order shown, so a save (or the autosave) records the
// order the editor sees. Without this script the position numbers are typed, as before.
(() => {
  "use strict";

  const group = document.getElementById("bylines-group");
  if (!group) return;
  const body = group.querySelector("tbody");
  if (!body) return;

  const live = document.createElement("p");
  live.className = "desk-byline-status";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  group.querySelector("table").after(live);

  const rows = () => [...body.querySelectorAll("tr.form-row:not(.empty-form)")];
  const position = (row) => row.querySelector("input[name$='-position']");
  const nameOf = (row) => {
    const select = row.querySelector("select[name$='-author']");
    const option = select && select.selectedOptions[0];
    return (option && option.textContent.trim()) || "this byline";
  };
  const changed = (input) => input.dispatchEvent(new Event("change", { bubbles: true }));

  const renumber = () => {
    rows().forEach((row, index) => {
      const input = position(row);
      if (input && input.value !== String(index)) {
        input.value = String(index);
        changed(input);
      }
      const up = row.querySelector(".desk-byline-up");
      const down = row.querySelector(".desk-byline-down");
      if (up) up.disabled = index === 0;
      if (down) down.disabled = index === rows().length - 1;
      for (const control of [up, down]) {
        if (control) control.setAttribute("aria-label", `${control.dataset.text}: ${nameOf(row)}`);
      }
    });
  };

  const say = (row) => {
    const all = rows();
    live.textContent = `${nameOf(row)} is now ${all.indexOf(row) + 1} of ${all.length} in the byline.`;
  };

  const move = (row, step, button) => {
    const all = rows();
    const target = all[all.indexOf(row) + step];
    if (!target) return;
    if (step < 0) target.before(row);
    else target.after(row);
    renumber();
    say(row);
    // Keep the keyboard on the moved row: the same button, or its twin at the top or bottom.
    const twin = row.querySelector(step < 0 ? ".desk-byline-down" : ".desk-byline-up");
    (button.disabled ? twin : button).focus();
  };

  const button = (className, text, arrow, step, row) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `${className} desk-byline-move`;
    element.textContent = arrow;
    element.title = text;
    element.dataset.text = text;
    element.addEventListener("click", () => move(row, step, element));
    return element;
  };

  let dragged = null;

  const decorate = (row) => {
    if (row.dataset.bylineReady) return;
    row.dataset.bylineReady = "1";
    const input = position(row);
    const cell = input ? input.closest("td") : null;
    if (!cell) return;
    input.type = "hidden"; // the order shown is the order saved
    const handle = document.createElement("span");
    handle.className = "desk-byline-handle";
    handle.textContent = "⠿";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    handle.draggable = true;
    handle.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("desk-byline-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", nameOf(row));
    });
    handle.addEventListener("dragend", () => {
      row.classList.remove("desk-byline-dragging");
      dragged = null;
    });
    cell.append(handle, button("desk-byline-up", "Move up", "↑", -1, row), button("desk-byline-down", "Move down", "↓", 1, row));
  };

  body.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const over = event.target.closest("tr.form-row:not(.empty-form)");
    if (!over || over === dragged) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    if (event.clientY < box.top + box.height / 2) over.before(dragged);
    else over.after(dragged);
  });
  body.addEventListener("drop", (event) => {
    if (!dragged) return;
    event.preventDefault();
    renumber();
    say(dragged);
  });

  body.addEventListener("change", (event) => {
    if (event.target.matches("select[name$='-author']")) renumber(); // its buttons name the new author
  });

  group.classList.add("desk-byline-sortable");
  const heading = group.querySelector("th.column-position");
  if (heading) heading.firstChild.textContent = "Order ";
  rows().forEach(decorate);
  renumber();
  // Django's "Add another byline" puts a new row last.
  document.addEventListener("formset:added", (event) => {
    if (event.detail && event.detail.formsetName !== "bylines") return;
    const row = event.target.closest ? event.target.closest("tr.form-row") || event.target : event.target;
    decorate(row);
    renumber();
  });
})();
