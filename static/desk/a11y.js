// Names for the controls Django's admin and its widgets leave unnamed (axe-core checks them):
// the body editor, the autocompletes (select2), a tabular inline's cells, and a scrolling box.
"use strict";

(() => {
  const labelText = (id) => {
    const label = document.querySelector(`label[for="${id}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  };

  const name = () => {
    // The body editor sits beside its hidden textarea, under the field's label.
    for (const editor of document.querySelectorAll(".ProseMirror[role=textbox]:not([aria-label])")) {
      let row = editor.parentElement;
      while (row && !row.querySelector("textarea[id]")) row = row.parentElement;
      const textarea = row ? row.querySelector("textarea[id]") : null;
      const text = textarea ? labelText(textarea.id) : "";
      if (text) editor.setAttribute("aria-label", text);
    }
    // An autocomplete: its box and its search field take the label of the select they replace.
    for (const select of document.querySelectorAll("select.admin-autocomplete[id]")) {
      const text = labelText(select.id);
      const container = select.nextElementSibling;
      if (!text || !container || !container.classList.contains("select2")) continue;
      for (const box of container.querySelectorAll(".select2-selection, .select2-selection__rendered")) {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", text);
      }
      for (const search of container.querySelectorAll(".select2-search__field:not([aria-label])")) {
        search.setAttribute("aria-label", text);
      }
    }
    // A tabular inline's inputs are named by their column's heading; its first heading is empty.
    for (const table of document.querySelectorAll(".tabular table")) {
      const headings = [...table.querySelectorAll("thead th")];
      for (const heading of headings) {
        if (heading.classList.contains("original") && !heading.textContent.trim()) {
          heading.innerHTML = '<span class="desk-visually-hidden">Saved</span>';
        }
      }
      for (const field of table.querySelectorAll("tbody td input:not([type=hidden]), tbody td select")) {
        if (field.labels && field.labels.length) continue;
        if (field.getAttribute("aria-label")) continue;
        const heading = headings[field.closest("td").cellIndex];
        const text = heading ? heading.textContent.replace(/\?$/, "").trim() : "";
        if (text) field.setAttribute("aria-label", text);
      }
    }
    // A box that scrolls sideways (a long history on a narrow screen) is reachable by keyboard.
    for (const box of document.querySelectorAll(".desk-record section")) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) box.tabIndex = 0;
    }
  };

  document.addEventListener("DOMContentLoaded", name);
  window.addEventListener("load", name);
  new MutationObserver(name).observe(document.documentElement, { childList: true, subtree: true });
})();
