// The desk's story form, while someone edits it: autosave to the server a few seconds after each
// change (kept in this browser too while the server cannot be reached), a question before
// leaving with unsaved changes, Ctrl/Cmd+S to save, and a heartbeat that says who else has the
// story open. Without this script the form still works; only these conveniences are missing.
(() => {
  "use strict";

  const form = document.getElementById("article_form");
  const box = document.getElementById("desk-editing");
  if (!form || !box) return;

  const POLL_MS = 2000;
  const token = () => (form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  const storageKey = `newsroom:autosave:${box.dataset.autosaveUrl}`;

  // The form as the server would receive it, files left out (they cannot be kept).
  const entries = () => {
    const pairs = [];
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken" && !name.startsWith("_")) {
        pairs.push([name, value]);
      }
    }
    return pairs;
  };
  const serialised = () => JSON.stringify(entries());

  const status = document.createElement("p");
  status.className = "desk-autosave-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  box.after(status);
  const say = (text, failed = false) => {
    status.textContent = text;
    status.classList.toggle("desk-autosave-status--failed", failed);
  };

  let opened = null; // the form as it was loaded: what "unsaved changes" are measured against
  let sent = null; // the last state the server has
  let seen = null; // the state at the previous poll: send only once typing pauses
  let submitting = false;

  const post = (url, pairs) =>
    fetch(url, {
      method: "POST",
      body: new URLSearchParams(pairs),
      headers: { "X-CSRFToken": token() },
      credentials: "same-origin",
    });

  const keepHere = (text) => {
    try {
      localStorage.setItem(storageKey, JSON.stringify({ at: Date.now(), form: text }));
    } catch (error) {
      // Private mode or a full storage: the server copy is all there is.
    }
  };

  const send = async (text) => {
    try {
      const response = await post(box.dataset.autosaveUrl, JSON.parse(text));
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const answer = await response.json();
      sent = text;
      localStorage.removeItem(storageKey);
      say(`Unsaved changes kept (autosaved at ${answer.saved_at}). Save to make them part of the story.`);
    } catch (error) {
      keepHere(text);
      say(`Autosave failed (${error.message}); a copy is kept in this browser, and it will try again.`, true);
    }
  };

  const poll = () => {
    const current = serialised();
    if (current !== sent && current === seen && !submitting) send(current);
    seen = current;
  };

  // A copy this browser kept while the server could not be reached goes to the server first.
  const pending = (() => {
    try {
      return JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      return null;
    }
  })();

  window.addEventListener("load", () => {
    seen = serialised();
    // A form the server sent back unsaved (errors, a merge, a restore) holds unsaved changes already.
    opened = box.dataset.unsaved ? "" : seen;
    sent = box.dataset.unsaved ? null : seen;
    if (pending && pending.form !== opened) {
      send(pending.form).then(() => {
        if (status.classList.contains("desk-autosave-status--failed")) return;
        say("Unsaved changes this browser kept are now autosaved on the server: reload the page to be offered them.");
      });
    }
    window.setInterval(poll, POLL_MS);
  });

  form.addEventListener("submit", () => {
    submitting = true;
  });

  window.addEventListener("beforeunload", (event) => {
    if (submitting || opened === null || serialised() === opened) return;
    event.preventDefault();
    event.returnValue = "";
  });

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      const save = form.querySelector("input[name=_continue]");
      if (save) form.requestSubmit(save);
    }
  });

  // Presence: who else has this story open.
  const presence = document.getElementById("desk-presence");
  if (box.dataset.presenceUrl && presence) {
    const beat = async () => {
      try {
        const response = await post(box.dataset.presenceUrl, []);
        if (!response.ok) return;
        const { others } = await response.json();
        presence.hidden = others.length === 0;
        presence.textContent = others.length
          ? `${others.map((other) => `${other.name} is editing this story (since ${other.since}).`).join(" ")} ` +
            "You can both go on: whoever saves second has the two sets of changes merged."
          : "";
      } catch (error) {
        // A missed heartbeat: the next one tries again.
      }
    };
    window.setInterval(beat, Number(box.dataset.heartbeat || 20) * 1000);
    window.addEventListener("pagehide", () => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token());
      navigator.sendBeacon(box.dataset.leaveUrl, data);
    });
  }
})();
