// The story body's blocks in the desk's editor (django-prose-editor, Tiptap): inline pictures,
// galleries, pull quotes, fact boxes, tables and embeds by URL, each written exactly in the stored
// form the server's sanitiser keeps (docs: /tmp/lead/blocks.md, newsroom/lib/html.py), with the
// menu items and dialogs that insert them, and a paste filter that says what a paste lost.
// Loaded by prose-editor's configurable preset (settings.DJANGO_PROSE_EDITOR_EXTENSIONS); no
// build step. Pictures and embeds show a preview built here: nothing is loaded from a provider.

import {
  Extension,
  Node,
  Plugin,
  Table as ProseTable,
  TableCell as ProseTableCell,
  TableHeader as ProseTableHeader,
} from "django-prose-editor/editor";

const SIZES = [
  ["inline", "Inline"],
  ["wide", "Wide"],
  ["full", "Full width"],
];
const GALLERY_MAX = 30;
const URL_MAX = 2000;
const CHOOSER_URL = "/admin/pictures/picture/chooser/";
const UPLOAD_URL = "/admin/pictures/picture/upload/";

// ---------------------------------------------------------------------------------------------
// Small helpers

const el = (tag, attributes = {}, children = []) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
};

const positiveId = (value) => (/^[1-9]\d{0,14}$/.test(String(value).trim()) ? Number(value) : null);

const galleryIds = (value) => {
  const ids = [];
  for (const part of String(value || "").split(/\s+/)) {
    const id = positiveId(part);
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  return ids.slice(0, GALLERY_MAX);
};

const providerKey = (value) => (/^[a-z0-9-]{1,40}$/.test(value || "") ? value : "link");

const sizeOf = (value) => (SIZES.some(([key]) => key === value) ? value : "inline");

const csrfToken = () => {
  const field = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (field) return field.value;
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.slice("csrftoken=".length)) : "";
};

// An address the writer gave for an embed: http(s) only, absolute, not absurdly long.
const embedUrlProblem = (value) => {
  const text = value.trim();
  if (!text) return "Paste the address of the post, video or chart.";
  if (/[\u0000-\u001f\u007f\s]/.test(text)) return "An address has no spaces or control characters in it.";
  if (text.length > URL_MAX) return `The address is too long (at most ${URL_MAX.toLocaleString("en")} characters).`;
  let url;
  try {
    url = new URL(text);
  } catch (error) {
    return "This is not a web address: it should start with https://";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Only web addresses (https:// or http://) can be embedded.";
  if (!url.hostname) return "This address has no site in it.";
  return "";
};

// The provider of an embed URL, for display only (the server recomputes the stored key):
// providers come from the extension's options as [{key, label, hosts}] (exact host names, as
// newsroom.lib.embeds matches them), else "link".
const providerFor = (url, providers) => {
  let host = "";
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch (error) {
    return { key: "link", label: "Link" };
  }
  for (const provider of providers || []) {
    if ((provider.hosts || []).includes(host)) return provider;
  }
  return { key: "link", label: "Link" };
};

const providerLabel = (key, providers) => {
  const known = (providers || []).find((provider) => provider.key === key);
  if (known) return known.label;
  return key && key !== "link" ? key.charAt(0).toUpperCase() + key.slice(1) : "Link";
};

// ---------------------------------------------------------------------------------------------
// Pictures from the desk's chooser endpoint, looked up by id in one request per batch.

const pictureLookups = new Map(); // id -> Promise<P | null>
let pictureQueue = [];

const lookUpPictures = (chooserUrl) => {
  const batch = pictureQueue;
  pictureQueue = [];
  const ids = batch.map(([id]) => id);
  fetch(`${chooserUrl}?ids=${ids.join(",")}`, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : { results: [] }))
    .catch(() => ({ results: [] }))
    .then((answer) => {
      const found = new Map((answer.results || []).map((picture) => [Number(picture.id), picture]));
      for (const [id, resolve] of batch) resolve(found.get(id) || null);
    });
};

const picture = (id, chooserUrl) => {
  if (!pictureLookups.has(id)) {
    pictureLookups.set(
      id,
      new Promise((resolve) => {
        if (!pictureQueue.length) window.setTimeout(() => lookUpPictures(chooserUrl), 0);
        pictureQueue.push([id, resolve]);
      }),
    );
  }
  return pictureLookups.get(id);
};

const remember = (found) => {
  for (const item of found) pictureLookups.set(Number(item.id), Promise.resolve(item));
};

// ---------------------------------------------------------------------------------------------
// Dialogs: a modal <dialog> outside the story form (its fields are never autosaved), that keeps
// Tab inside, closes on Escape and gives focus back to the menu button that opened it.

const focusable = (root) =>
  [...root.querySelectorAll("button, input, select, textarea, a[href], summary, [tabindex]")].filter(
    (node) => !node.disabled && node.tabIndex >= 0 && node.getClientRects().length,
  );

const modal = ({ title, returnFocus, className = "" }) => {
  const heading = el("h2", { className: "desk-dialog__title", id: `desk-dialog-${Date.now()}`, text: title });
  const body = el("div", { className: "desk-dialog__body" });
  const buttons = el("div", { className: "desk-dialog__buttons" });
  const dialog = el("dialog", { className: `desk-dialog ${className}`.trim(), "aria-labelledby": heading.id }, [
    heading,
    body,
    buttons,
  ]);
  let settle;
  const done = new Promise((resolve) => {
    settle = resolve;
  });
  let result = null;
  const finish = (value) => {
    result = value;
    dialog.close();
  };
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (result === null && returnFocus) returnFocus.focus();
    settle(result);
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const items = focusable(dialog);
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  const cancel = el("button", { type: "button", className: "desk-dialog__cancel", text: "Cancel" });
  cancel.addEventListener("click", () => finish(null));
  const open = () => {
    document.body.append(dialog);
    dialog.showModal();
    const start = focusable(body)[0];
    if (start) start.focus();
  };
  return { dialog, body, buttons, cancel, done, finish, open };
};

let fieldNumber = 0;

// A labelled field with a place for its error, the error tied to the input for screen readers.
const field = (label, input, help = "") => {
  const id = `desk-field-${++fieldNumber}`;
  input.id = id;
  const error = el("p", { className: "desk-dialog__error", id: `${id}-error`, hidden: true });
  const hint = help ? el("p", { className: "desk-dialog__help", id: `${id}-help`, text: help }) : null;
  if (hint) input.setAttribute("aria-describedby", hint.id);
  const wrapper = el("div", { className: "desk-dialog__field" }, [el("label", { for: id, text: label }), input, hint, error]);
  const show = (messages) => {
    const text = [].concat(messages || []).join(" ");
    error.textContent = text;
    error.hidden = !text;
    if (text) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", [hint && hint.id, error.id].filter(Boolean).join(" "));
    } else {
      input.removeAttribute("aria-invalid");
      if (hint) input.setAttribute("aria-describedby", hint.id);
      else input.removeAttribute("aria-describedby");
    }
  };
  return { wrapper, input, show };
};

const paragraphsOf = (text) =>
  text
    .split(/\n\s*\n|\r\n\s*\r\n/)
    .map((part) => part.replace(/\s+/g, " ").trim())
    .filter(Boolean);

const textContent = (text) => (text ? [{ type: "text", text }] : []);

// ---------------------------------------------------------------------------------------------
// The picture chooser: search the library or upload in place; one picture, or several in order.

const chooserDialog = ({ editor, options, returnFocus, multiple, initialSize = "inline" }) => {
  const box = modal({
    title: multiple ? "Insert a gallery" : "Insert a picture",
    returnFocus,
    className: "desk-dialog--pictures",
  });
  const chosen = []; // pictures in the order they were picked
  const status = el("p", { className: "desk-dialog__status", role: "status", "aria-live": "polite" });
  const results = el("ul", { className: "desk-chooser", "aria-label": "Pictures in the library" });
  const more = el("button", { type: "button", className: "desk-chooser__more", text: "More pictures", hidden: true });
  const query = el("input", { type: "search", maxlength: 200, autocomplete: "off" });
  const search = el("form", { className: "desk-dialog__search", role: "search" }, [
    field("Search the library (alt text, caption, credit)", query).wrapper,
    el("button", { type: "submit", text: "Search" }),
  ]);
  const insert = el("button", { type: "button", className: "desk-dialog__submit", disabled: true, text: "Insert" });
  const size = el(
    "select",
    {},
    SIZES.map(([value, label]) => el("option", { value, text: label, selected: value === initialSize })),
  );

  const describeChoice = () => {
    insert.disabled = chosen.length === 0;
    insert.textContent = multiple ? `Insert gallery (${chosen.length} picture${chosen.length === 1 ? "" : "s"})` : "Insert";
  };

  const toggle = (item, button) => {
    const at = chosen.findIndex((other) => other.id === item.id);
    if (multiple) {
      if (at >= 0) chosen.splice(at, 1);
      else if (chosen.length < GALLERY_MAX) chosen.push(item);
      else status.textContent = `A gallery holds at most ${GALLERY_MAX} pictures.`;
    } else {
      chosen.splice(0, chosen.length, ...(at >= 0 ? [] : [item]));
    }
    refresh();
    if (button) button.focus();
  };

  const refresh = () => {
    for (const other of results.querySelectorAll("button[data-picture]")) {
      const position = chosen.findIndex((picked) => String(picked.id) === other.dataset.picture);
      other.setAttribute("aria-pressed", position >= 0 ? "true" : "false");
      const badge = other.querySelector(".desk-chooser__order");
      if (badge) badge.textContent = multiple && position >= 0 ? String(position + 1) : "";
    }
    describeChoice();
  };

  const card = (item) => {
    const button = el(
      "button",
      { type: "button", className: "desk-chooser__item", "data-picture": item.id, "aria-pressed": "false" },
      [
        el("img", { src: item.thumb, alt: "", width: 160, height: 107, loading: "lazy" }),
        el("span", { className: "desk-chooser__alt", text: item.alt || `Picture ${item.id}` }),
        el("span", { className: "desk-chooser__order", "aria-hidden": "true" }),
      ],
    );
    button.addEventListener("click", () => toggle(item, button));
    return el("li", {}, [button]);
  };

  let page = 1;
  const load = async (reset) => {
    if (reset) {
      page = 1;
      results.replaceChildren();
    }
    status.textContent = "Searching…";
    try {
      const params = new URLSearchParams({ q: query.value.trim(), page: String(page) });
      const response = await fetch(`${options.chooserUrl}?${params}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const answer = await response.json();
      remember(answer.results || []);
      for (const item of answer.results || []) results.append(card(item));
      more.hidden = !answer.more;
      const count = results.children.length;
      status.textContent = count
        ? `${count} picture${count === 1 ? "" : "s"} found.`
        : query.value.trim()
          ? "No picture matches this search."
          : "The library has no picture you may use yet: upload one below.";
      refresh();
    } catch (error) {
      status.textContent = `The library could not be searched (${error.message}). Try again.`;
    }
  };
  search.addEventListener("submit", (event) => {
    event.preventDefault();
    load(true);
  });
  more.addEventListener("click", () => {
    page += 1;
    load(false);
  });

  // Upload in place: alt text required; the server's errors shown next to their fields.
  const file = el("input", { type: "file", accept: "image/jpeg,image/png,image/webp,image/gif", required: true });
  const alt = el("input", { type: "text", maxlength: 300, required: true });
  const caption = el("textarea", { rows: 2, maxlength: 1000 });
  const credit = el("input", { type: "text", maxlength: 200 });
  const fields = {
    file: field("Picture file", file),
    alt_text: field("Alt text (required)", alt, "What the picture shows, for readers who cannot see it."),
    caption: field("Caption", caption),
    credit: field("Credit", credit),
  };
  const uploadError = el("p", { className: "desk-dialog__error", role: "alert", hidden: true });
  const uploadButton = el("button", { type: "submit", text: "Upload and choose" });
  const upload = el("form", { className: "desk-dialog__upload", novalidate: true }, [
    uploadError,
    ...Object.values(fields).map((item) => item.wrapper),
    uploadButton,
  ]);
  const uploadBox = el("details", { className: "desk-dialog__details" }, [
    el("summary", { text: "Upload a new picture" }),
    upload,
  ]);
  upload.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const item of Object.values(fields)) item.show([]);
    uploadError.hidden = true;
    const problems = {};
    if (!file.files.length) problems.file = ["Choose a picture file."];
    if (!alt.value.trim()) problems.alt_text = ["Describe the picture: alt text is required."];
    if (Object.keys(problems).length) {
      for (const [name, messages] of Object.entries(problems)) fields[name].show(messages);
      (problems.file ? file : alt).focus();
      return;
    }
    const data = new FormData();
    data.append("file", file.files[0]);
    data.append("alt_text", alt.value.trim());
    data.append("caption", caption.value.trim());
    data.append("credit", credit.value.trim());
    uploadButton.disabled = true;
    status.textContent = "Uploading…";
    try {
      const response = await fetch(options.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
      const answer = await response.json().catch(() => ({}));
      if (response.status === 201) {
        remember([answer]);
        results.prepend(card(answer));
        toggle(answer, null);
        upload.reset();
        uploadBox.open = false;
        status.textContent = `Uploaded and chosen: ${answer.alt}.`;
        insert.focus();
        return;
      }
      const errors = (answer && answer.errors) || {};
      const general = [];
      for (const [name, messages] of Object.entries(errors)) {
        if (fields[name]) fields[name].show(messages);
        else general.push(...[].concat(messages));
      }
      const first = Object.keys(fields).find((name) => errors[name]);
      if (!Object.keys(errors).length) general.push(`The upload failed (the server answered ${response.status}).`);
      if (general.length) {
        uploadError.textContent = general.join(" ");
        uploadError.hidden = false;
      }
      status.textContent = "The picture was not uploaded: see the messages.";
      (first ? fields[first].input : uploadButton).focus();
    } catch (error) {
      uploadError.textContent = `The upload failed (${error.message}). Try again.`;
      uploadError.hidden = false;
      status.textContent = "";
    } finally {
      uploadButton.disabled = false;
    }
  });

  box.body.append(search, status, results, more, uploadBox);
  if (!multiple) box.body.append(field("Size in the story", size).wrapper);
  insert.addEventListener("click", () => {
    if (chosen.length) box.finish({ pictures: [...chosen], size: size.value });
  });
  box.buttons.append(insert, box.cancel);
  describeChoice();
  box.open();
  query.focus();
  load(true);
  return box.done;
};

// ---------------------------------------------------------------------------------------------
// Node views: what the writer sees of an atom block (never the provider's content).

const blockFrame = (kind, label) => {
  const dom = el("div", { className: `desk-block desk-block--${kind}`, contenteditable: "false" });
  const title = el("div", { className: "desk-block__label", text: label });
  dom.append(title);
  return { dom, title };
};

const isControl = (event) => event.target instanceof Element && !!event.target.closest("button, select, input, label");

const pictureView = (extension) => ({ node, getPos, editor }) => {
  const { dom, title } = blockFrame("picture", "Picture");
  const figure = el("div", { className: "desk-block__picture" });
  const sizeSelect = el(
    "select",
    { "aria-label": "Size of the picture in the story" },
    SIZES.map(([value, label]) => el("option", { value, text: label })),
  );
  const remove = el("button", { type: "button", className: "desk-block__remove", text: "Remove picture" });
  const controls = el("div", { className: "desk-block__controls" }, [
    el("label", { className: "desk-block__size" }, [el("span", { text: "Size" }), sizeSelect]),
    remove,
  ]);
  dom.append(figure, controls);
  let current = node;

  const render = () => {
    sizeSelect.value = sizeOf(current.attrs.size);
    dom.dataset.size = sizeSelect.value;
    const id = current.attrs.picture;
    title.textContent = `Picture ${id} · ${SIZES.find(([key]) => key === sizeSelect.value)[1]}`;
    figure.replaceChildren(el("div", { className: "desk-block__loading", text: "Loading the picture…" }));
    picture(id, extension.options.chooserUrl).then((found) => {
      if (current.attrs.picture !== id) return;
      if (!found) {
        figure.replaceChildren(
          el("div", {
            className: "desk-block__missing",
            text: `Picture ${id} is not in the library or not yours to use: saving will be refused until it is removed.`,
          }),
        );
        return;
      }
      figure.replaceChildren(
        el("img", { src: found.thumb, alt: found.alt, className: "desk-block__thumb", width: found.width, height: found.height }),
        el("div", { className: "desk-block__text" }, [
          el("div", { className: "desk-block__alt" }, [el("strong", { text: "Alt text: " }), found.alt]),
          el("div", { className: "desk-block__caption" }, [
            el("strong", { text: "Caption: " }),
            found.caption || "(none)",
            found.credit ? ` · ${found.credit}` : "",
          ]),
        ]),
      );
    });
  };

  sizeSelect.addEventListener("change", () => {
    const pos = getPos();
    if (typeof pos !== "number") return;
    editor.view.dispatch(editor.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, size: sizeSelect.value }));
  });
  remove.addEventListener("click", () => {
    const pos = getPos();
    if (typeof pos !== "number") return;
    editor.chain().focus().deleteRange({ from: pos, to: pos + current.nodeSize }).run();
  });
  render();
  return {
    dom,
    update(updated) {
      if (updated.type !== current.type) return false;
      const changed = updated.attrs.picture !== current.attrs.picture || updated.attrs.size !== current.attrs.size;
      current = updated;
      if (changed) render();
      return true;
    },
    stopEvent: isControl,
    ignoreMutation: () => true,
  };
};

const galleryView = (extension) => ({ node, getPos, editor }) => {
  const { dom, title } = blockFrame("gallery", "Gallery");
  const list = el("div", { className: "desk-block__gallery", role: "list", "aria-label": "Pictures of the gallery, in order" });
  const add = el("button", { type: "button", text: "Add pictures" });
  const remove = el("button", { type: "button", className: "desk-block__remove", text: "Remove gallery" });
  dom.append(list, el("div", { className: "desk-block__controls" }, [add, remove]));
  let current = node;

  const setIds = (ids, focusAfter) => {
    const pos = getPos();
    if (typeof pos !== "number") return;
    if (!ids.length) {
      editor.chain().focus().deleteRange({ from: pos, to: pos + current.nodeSize }).run();
      return;
    }
    editor.view.dispatch(editor.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, ids }));
    if (focusAfter) window.requestAnimationFrame(() => focusAfter());
  };

  const render = () => {
    const ids = current.attrs.ids;
    title.textContent = `Gallery · ${ids.length} picture${ids.length === 1 ? "" : "s"}`;
    list.replaceChildren();
    ids.forEach((id, index) => {
      const thumb = el("div", { className: "desk-block__gallery-thumb" }, [el("span", { text: `Picture ${id}` })]);
      const left = el("button", { type: "button", "aria-label": `Move picture ${index + 1} left`, text: "←", disabled: index === 0 });
      const right = el("button", {
        type: "button",
        "aria-label": `Move picture ${index + 1} right`,
        text: "→",
        disabled: index === ids.length - 1,
      });
      const out = el("button", { type: "button", "aria-label": `Remove picture ${index + 1} from the gallery`, text: "×" });
      const move = (by) => {
        const next = [...ids];
        [next[index], next[index + by]] = [next[index + by], next[index]];
        const where = index + by;
        const which = by < 0 ? "left" : "right";
        setIds(next, () => {
          const button = list.children[where] && list.children[where].querySelector(`button[aria-label^="Move picture ${where + 1} ${which}"]`);
          (button && !button.disabled ? button : list.children[where]?.querySelector("button:not([disabled])"))?.focus();
        });
      };
      left.addEventListener("click", () => move(-1));
      right.addEventListener("click", () => move(1));
      out.addEventListener("click", () =>
        setIds(
          ids.filter((other) => other !== id),
          () => add.focus(),
        ),
      );
      list.append(el("div", { role: "listitem" }, [thumb, el("div", { className: "desk-block__gallery-buttons" }, [left, right, out])]));
      picture(id, extension.options.chooserUrl).then((found) => {
        if (!thumb.isConnected && !list.contains(thumb)) return;
        thumb.replaceChildren(
          found
            ? el("img", { src: found.thumb, alt: found.alt, className: "desk-block__thumb" })
            : el("span", { className: "desk-block__missing", text: `Picture ${id} is not available to you` }),
        );
      });
    });
  };

  add.addEventListener("click", async () => {
    const answer = await chooserDialog({ editor, options: extension.options, returnFocus: add, multiple: true });
    if (!answer) return;
    setIds(galleryIds([...current.attrs.ids, ...answer.pictures.map((item) => item.id)].join(" ")), () => add.focus());
  });
  remove.addEventListener("click", () => setIds([]));
  render();
  return {
    dom,
    update(updated) {
      if (updated.type !== current.type) return false;
      const changed = updated.attrs.ids.join(" ") !== current.attrs.ids.join(" ");
      current = updated;
      if (changed) render();
      return true;
    },
    stopEvent: isControl,
    ignoreMutation: () => true,
  };
};

const embedView = (extension) => ({ node, getPos, editor }) => {
  const { dom, title } = blockFrame("embed", "Embed");
  const address = el("div", { className: "desk-block__url" });
  const caption = el("div", { className: "desk-block__caption" });
  const edit = el("button", { type: "button", text: "Edit embed" });
  const remove = el("button", { type: "button", className: "desk-block__remove", text: "Remove embed" });
  dom.append(address, caption, el("div", { className: "desk-block__controls" }, [edit, remove]));
  let current = node;
  const render = () => {
    title.textContent = `Embed · ${providerLabel(current.attrs.provider, extension.options.providers)}`;
    address.textContent = current.attrs.url;
    caption.replaceChildren(el("strong", { text: "Text: " }), current.attrs.caption || "(none)");
  };
  edit.addEventListener("click", async () => {
    const answer = await embedDialog({ extension, returnFocus: edit, attrs: current.attrs });
    const pos = getPos();
    if (!answer || typeof pos !== "number") return;
    editor.view.dispatch(editor.state.tr.setNodeMarkup(pos, undefined, answer));
    edit.focus();
  });
  remove.addEventListener("click", () => {
    const pos = getPos();
    if (typeof pos !== "number") return;
    editor.chain().focus().deleteRange({ from: pos, to: pos + current.nodeSize }).run();
  });
  render();
  return {
    dom,
    update(updated) {
      if (updated.type !== current.type) return false;
      current = updated;
      render();
      return true;
    },
    stopEvent: isControl,
    ignoreMutation: () => true,
  };
};

// A pull quote or a fact box: its text edited in place, under its name and a Remove button.
const textBlockView = (kind, label) => ({ node, getPos, editor }) => {
  const remove = el("button", { type: "button", className: "desk-block__remove", text: `Remove ${label.toLowerCase()}` });
  const head = el("div", { className: "desk-block__head", contenteditable: "false" }, [
    el("div", { className: "desk-block__label", text: label }),
    remove,
  ]);
  const contentDOM = el("div", { className: "desk-block__content" });
  const dom = el("div", { className: `desk-block desk-block--text desk-block--${kind}` }, [head, contentDOM]);
  let current = node;
  remove.addEventListener("click", () => {
    const pos = getPos();
    if (typeof pos !== "number") return;
    editor.chain().focus().deleteRange({ from: pos, to: pos + current.nodeSize }).run();
  });
  return {
    dom,
    contentDOM,
    update(updated) {
      if (updated.type !== current.type) return false;
      current = updated;
      return true;
    },
    stopEvent: (event) => head.contains(event.target),
    ignoreMutation: (mutation) => mutation.type !== "selection" && head.contains(mutation.target),
  };
};

// ---------------------------------------------------------------------------------------------
// The dialogs of the text blocks and of embeds

const embedDialog = ({ extension, returnFocus, attrs = {} }) => {
  const box = modal({ title: attrs.url ? "Edit the embed" : "Embed a post, video or chart", returnFocus });
  const url = field(
    "Address (URL)",
    el("input", { type: "text", inputmode: "url", maxlength: URL_MAX + 100, value: attrs.url || "", autocomplete: "off" }),
    "A YouTube or Vimeo video, a Datawrapper or Flourish chart, a post on X, Instagram, Bluesky or Mastodon; any other address becomes a link card.",
  );
  const text = field(
    "Text shown with it (optional)",
    el("textarea", { rows: 3, maxlength: 1000 }),
    "For a post: its words, shown as they are (nothing is loaded from the site).",
  );
  text.input.value = attrs.caption || "";
  const submit = el("button", { type: "button", className: "desk-dialog__submit", text: attrs.url ? "Update" : "Embed" });
  const form = el("form", { novalidate: true }, [url.wrapper, text.wrapper]);
  box.body.append(form);
  box.buttons.append(submit, box.cancel);
  const accept = (event) => {
    event.preventDefault();
    const problem = embedUrlProblem(url.input.value);
    url.show(problem ? [problem] : []);
    if (problem) {
      url.input.focus();
      return;
    }
    const address = url.input.value.trim();
    box.finish({
      url: address,
      provider: providerFor(address, extension.options.providers).key,
      caption: text.input.value.replace(/\s+/g, " ").trim(),
    });
  };
  form.addEventListener("submit", accept);
  submit.addEventListener("click", accept);
  box.open();
  return box.done;
};

const textBlockDialog = ({ title, returnFocus, fields, submitText }) => {
  const box = modal({ title, returnFocus });
  const made = fields.map(({ label, multiline, required, help }) => ({
    required,
    label,
    item: field(
      label,
      multiline ? el("textarea", { rows: 4, maxlength: 20000 }) : el("input", { type: "text", maxlength: 500 }),
      help,
    ),
  }));
  const form = el("form", { novalidate: true }, made.map(({ item }) => item.wrapper));
  const submit = el("button", { type: "button", className: "desk-dialog__submit", text: submitText });
  box.body.append(form);
  box.buttons.append(submit, box.cancel);
  const accept = (event) => {
    event.preventDefault();
    let first = null;
    for (const { required, label, item } of made) {
      const missing = required && !item.input.value.trim();
      item.show(missing ? [`${label.replace(/ \(.*\)$/, "")} is required.`] : []);
      if (missing && !first) first = item.input;
    }
    if (first) {
      first.focus();
      return;
    }
    box.finish(made.map(({ item }) => item.input.value));
  };
  form.addEventListener("submit", accept);
  submit.addEventListener("click", accept);
  box.open();
  return box.done;
};

// Lines of a fact box's text: "- item" lines make a bulleted list, other lines paragraphs.
const factboxContent = (text) => {
  const content = [];
  let list = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+/g, " ").trim();
    if (!line) {
      list = null;
      continue;
    }
    const item = line.match(/^[-*•]\s*(.+)$/);
    if (item) {
      if (!list) {
        list = { type: "bulletList", content: [] };
        content.push(list);
      }
      list.content.push({ type: "listItem", content: [{ type: "paragraph", content: textContent(item[1]) }] });
    } else {
      list = null;
      content.push({ type: "paragraph", content: textContent(line) });
    }
  }
  return content.length ? content : [{ type: "paragraph" }];
};

// ---------------------------------------------------------------------------------------------
// Menu items: one group, "blocks", each a labelled text button.

// In the menu in this order; a button's name is its visible label (its title says more).
const BLOCK_ORDER = ["bodyPicture", "bodyGallery", "bodyPullQuote", "bodyFactBox", "table", "bodyEmbed"];

const defineBlockItem = (menu, buttons, { name, label, title, command }) => {
  const button = buttons.text(label, title);
  button.setAttribute("aria-label", label);
  button.classList.add("desk-block-button");
  const priority = 60 - BLOCK_ORDER.indexOf(name);
  menu.defineItem({ name, groups: "blocks", priority, button, command: (editor) => command(editor, button) });
};

const withEditor = (editor, returnFocus) => returnFocus || editor.view.dom;

// A block goes between the story's top-level blocks, never inside a list, a quote or another
// block: in place of the empty paragraph the cursor is in, else after the block the cursor is in.
// The cursor then goes to `inside` positions into the new block, or to the paragraph after it.
const insertBlock = (editor, content, inside = null) => {
  const { state } = editor;
  const { selection } = state;
  const { $from } = selection;
  let from = $from.pos;
  let to = $from.pos;
  if (selection.node && $from.depth === 0) {
    from = to = selection.to;
  } else if ($from.depth > 0) {
    const top = $from.node(1);
    if (top.type.name === "paragraph" && top.content.size === 0) {
      from = $from.before(1);
      to = $from.after(1);
    } else {
      from = to = $from.after(1);
    }
  }
  const node = editor.schema.nodeFromJSON(content);
  const tr = state.tr.replaceWith(from, to, node);
  const after = from + node.nodeSize;
  const next = tr.doc.nodeAt(after);
  if (!next || !next.isTextblock) tr.insert(after, editor.schema.nodes.paragraph.create());
  editor.view.dispatch(tr.scrollIntoView());
  editor
    .chain()
    .focus()
    .setTextSelection(inside === null ? after + 1 : from + inside)
    .scrollIntoView()
    .run();
};

// ---------------------------------------------------------------------------------------------
// The nodes

const chooserOptions = () => ({ chooserUrl: CHOOSER_URL, uploadUrl: UPLOAD_URL });

export const BodyPicture = Node.create({
  name: "bodyPicture",
  group: "block",
  atom: true,
  selectable: true,
  draggable: false,

  addOptions: chooserOptions,

  addAttributes() {
    return {
      picture: { default: null, rendered: false, parseHTML: (dom) => positiveId(dom.getAttribute("data-picture")) },
      size: { default: "inline", rendered: false, parseHTML: (dom) => sizeOf(dom.getAttribute("data-size")) },
    };
  },

  parseHTML() {
    return [{ tag: "figure[data-picture]", priority: 100, getAttrs: (dom) => (positiveId(dom.getAttribute("data-picture")) ? null : false) }];
  },

  renderHTML({ node }) {
    return ["figure", { "data-picture": String(node.attrs.picture), "data-size": sizeOf(node.attrs.size) }];
  },

  addNodeView() {
    return pictureView(this);
  },

  addMenuItems({ buttons, menu }) {
    defineBlockItem(menu, buttons, {
      name: "bodyPicture",
      label: "Picture",
      title: "Insert a picture from the library, or upload one",
      command: async (editor, button) => {
        const answer = await chooserDialog({ editor, options: this.options, returnFocus: withEditor(editor, button), multiple: false });
        if (!answer) return;
        insertBlock(editor, { type: this.name, attrs: { picture: Number(answer.pictures[0].id), size: answer.size } });
      },
    });
  },
});

export const BodyGallery = Node.create({
  name: "bodyGallery",
  group: "block",
  atom: true,
  selectable: true,

  addOptions: chooserOptions,

  addAttributes() {
    return { ids: { default: [], rendered: false, parseHTML: (dom) => galleryIds(dom.getAttribute("data-gallery")) } };
  },

  parseHTML() {
    return [{ tag: "figure[data-gallery]", priority: 100, getAttrs: (dom) => (galleryIds(dom.getAttribute("data-gallery")).length ? null : false) }];
  },

  renderHTML({ node }) {
    return ["figure", { "data-gallery": galleryIds(node.attrs.ids.join(" ")).join(" ") }];
  },

  addNodeView() {
    return galleryView(this);
  },

  addMenuItems({ buttons, menu }) {
    defineBlockItem(menu, buttons, {
      name: "bodyGallery",
      label: "Gallery",
      title: "Insert a gallery: several pictures in order",
      command: async (editor, button) => {
        const answer = await chooserDialog({ editor, options: this.options, returnFocus: withEditor(editor, button), multiple: true });
        if (!answer) return;
        insertBlock(editor, { type: this.name, attrs: { ids: galleryIds(answer.pictures.map((item) => item.id).join(" ")) } });
      },
    });
  },
});

export const BodyEmbed = Node.create({
  name: "bodyEmbed",
  group: "block",
  atom: true,
  selectable: true,

  addOptions() {
    return { providers: [] };
  },

  addAttributes() {
    return {
      url: { default: "", rendered: false, parseHTML: (dom) => (dom.getAttribute("data-url") || "").trim() },
      provider: { default: "link", rendered: false, parseHTML: (dom) => providerKey(dom.getAttribute("data-embed")) },
      caption: {
        default: "",
        rendered: false,
        parseHTML: (dom) => {
          const caption = dom.querySelector("figcaption");
          return caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
        },
      },
    };
  },

  parseHTML() {
    return [{ tag: "figure[data-embed]", priority: 100, getAttrs: (dom) => (embedUrlProblem(dom.getAttribute("data-url") || "") ? false : null) }];
  },

  renderHTML({ node }) {
    const figure = ["figure", { "data-embed": node.attrs.provider || "link", "data-url": node.attrs.url }];
    if (node.attrs.caption) figure.push(["figcaption", node.attrs.caption]);
    return figure;
  },

  addNodeView() {
    return embedView(this);
  },

  addMenuItems({ buttons, menu }) {
    defineBlockItem(menu, buttons, {
      name: "bodyEmbed",
      label: "Embed",
      title: "Embed a video, a chart or a post by its address",
      command: async (editor, button) => {
        const answer = await embedDialog({ extension: this, returnFocus: withEditor(editor, button) });
        if (!answer) return;
        insertBlock(editor, { type: this.name, attrs: answer });
      },
    });
  },
});

// A pull quote: <figure data-pullquote=""><blockquote><p>…</p></blockquote><figcaption>…</figcaption></figure>
export const BodyPullQuote = Node.create({
  name: "bodyPullQuote",
  group: "block",
  content: "bodyPullQuoteText bodyPullQuoteAttribution?",
  defining: true,
  isolating: true,

  parseHTML() {
    return [{ tag: "figure[data-pullquote]", priority: 100 }];
  },

  renderHTML() {
    return ["figure", { "data-pullquote": "" }, 0];
  },

  addNodeView() {
    return textBlockView("pullquote", "Pull quote");
  },

  addExtensions() {
    return [BodyPullQuoteText, BodyPullQuoteAttribution];
  },

  addMenuItems({ buttons, menu }) {
    defineBlockItem(menu, buttons, {
      name: "bodyPullQuote",
      label: "Pull quote",
      title: "Insert a pull quote with its attribution",
      command: async (editor, button) => {
        const answer = await textBlockDialog({
          title: "Insert a pull quote",
          returnFocus: withEditor(editor, button),
          submitText: "Insert",
          fields: [
            { label: "Quote", multiline: true, required: true },
            { label: "Attribution (optional)", help: "Who said it, e.g. “Asha Verma, the mayor”." },
          ],
        });
        if (!answer) return;
        const [quote, attribution] = answer;
        const content = [
          {
            type: "bodyPullQuoteText",
            content: paragraphsOf(quote).map((text) => ({ type: "paragraph", content: textContent(text) })),
          },
        ];
        const who = attribution.replace(/\s+/g, " ").trim();
        if (who) content.push({ type: "bodyPullQuoteAttribution", content: textContent(who) });
        insertBlock(editor, { type: this.name, content });
      },
    });
  },
});

const BodyPullQuoteText = Node.create({
  name: "bodyPullQuoteText",
  content: "paragraph+",
  defining: true,
  parseHTML() {
    return [{ tag: "blockquote", context: "bodyPullQuote/", priority: 100 }];
  },
  renderHTML() {
    return ["blockquote", 0];
  },
});

const BodyPullQuoteAttribution = Node.create({
  name: "bodyPullQuoteAttribution",
  content: "text*",
  marks: "",
  defining: true,
  parseHTML() {
    return [{ tag: "figcaption", context: "bodyPullQuote/", priority: 100 }];
  },
  renderHTML() {
    return ["figcaption", 0];
  },
});

// A fact box: <aside data-factbox=""><h3>Title</h3><p>…</p><ul><li>…</li></ul></aside>
export const BodyFactBox = Node.create({
  name: "bodyFactBox",
  group: "block",
  content: "bodyFactBoxTitle (paragraph | bulletList | orderedList)+",
  defining: true,
  isolating: true,

  parseHTML() {
    return [{ tag: "aside[data-factbox]", priority: 100 }];
  },

  renderHTML() {
    return ["aside", { "data-factbox": "" }, 0];
  },

  addNodeView() {
    return textBlockView("factbox", "Fact box");
  },

  addExtensions() {
    return [BodyFactBoxTitle];
  },

  addMenuItems({ buttons, menu }) {
    defineBlockItem(menu, buttons, {
      name: "bodyFactBox",
      label: "Fact box",
      title: "Insert a fact box: a title and a few facts",
      command: async (editor, button) => {
        const answer = await textBlockDialog({
          title: "Insert a fact box",
          returnFocus: withEditor(editor, button),
          submitText: "Insert",
          fields: [
            { label: "Title", required: true },
            {
              label: "Facts (optional)",
              multiline: true,
              help: "One paragraph a line; start a line with “- ” for a bulleted list. You can go on editing in the story.",
            },
          ],
        });
        if (!answer) return;
        const [title, facts] = answer;
        insertBlock(editor, {
          type: this.name,
          content: [
            { type: "bodyFactBoxTitle", content: textContent(title.replace(/\s+/g, " ").trim()) },
            ...factboxContent(facts),
          ],
        });
      },
    });
  },
});

const BodyFactBoxTitle = Node.create({
  name: "bodyFactBoxTitle",
  content: "text*",
  marks: "",
  defining: true,
  parseHTML() {
    return [{ tag: "h3", context: "bodyFactBox/", priority: 100 }];
  },
  renderHTML() {
    return ["h3", 0];
  },
});

// ---------------------------------------------------------------------------------------------
// Tables: prose-editor's Table, with a header row, cells of paragraphs, and no attributes at all
// (no merged cells, no widths): the contract's <table><tbody><tr><th>…</th></tr>…</tbody></table>.

const plainCellAttributes = () => ({
  colspan: { default: 1, parseHTML: () => 1, renderHTML: () => ({}) },
  rowspan: { default: 1, parseHTML: () => 1, renderHTML: () => ({}) },
  colwidth: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
});

export const TableCell = ProseTableCell.extend({
  content: "paragraph+",
  addAttributes: plainCellAttributes,
  renderHTML() {
    return ["td", 0];
  },
});

export const TableHeader = ProseTableHeader.extend({
  content: "paragraph+",
  addAttributes: plainCellAttributes,
  renderHTML() {
    return ["th", 0];
  },
});

export const Table = ProseTable.extend({
  addAttributes() {
    return {};
  },

  renderHTML() {
    return ["table", ["tbody", 0]];
  },

  addMenuItems({ buttons, menu }) {
    defineBlockItem(menu, buttons, {
      name: "table",
      label: "Table",
      title: "Insert a table with a header row",
      command: async (editor, button) => {
        const answer = await tableDialog({ returnFocus: withEditor(editor, button) });
        if (!answer) return;
        const row = (type) => ({ type: "tableRow", content: Array.from({ length: answer.cols }, () => ({ type, content: [{ type: "paragraph" }] })) });
        const rows = [row("tableHeader"), ...Array.from({ length: answer.rows }, () => row("tableCell"))];
        // The cursor goes into the first header cell: table, row, cell, paragraph.
        insertBlock(editor, { type: "table", content: rows }, 4);
      },
    });
    const inTable = (name, label, command) => {
      const button = buttons.text(label, label);
      button.classList.add("desk-block-button");
      menu.defineItem({ name: `table:${name}`, groups: "table", button, command, hidden: (editor) => !editor.isActive("table") });
    };
    inTable("addRowAfter", "Add row", (editor) => editor.chain().focus().addRowAfter().run());
    inTable("deleteRow", "Delete row", (editor) => editor.chain().focus().deleteRow().run());
    inTable("addColumnAfter", "Add column", (editor) => editor.chain().focus().addColumnAfter().run());
    inTable("deleteColumn", "Delete column", (editor) => editor.chain().focus().deleteColumn().run());
    inTable("deleteTable", "Delete table", (editor) => editor.chain().focus().deleteTable().run());
  },

  addCommands() {
    const commands = { ...this.parent?.() };
    // Cells are never merged or split: the stored table has no spans.
    delete commands.mergeCells;
    delete commands.splitCell;
    delete commands.mergeOrSplit;
    return commands;
  },
});

const tableDialog = ({ returnFocus }) => {
  const box = modal({ title: "Insert a table", returnFocus });
  const rows = field("Rows (under the header row)", el("input", { type: "number", min: 1, max: 50, value: 3, inputmode: "numeric" }));
  const cols = field("Columns", el("input", { type: "number", min: 1, max: 10, value: 3, inputmode: "numeric" }));
  const form = el("form", { novalidate: true }, [rows.wrapper, cols.wrapper]);
  const submit = el("button", { type: "button", className: "desk-dialog__submit", text: "Insert table" });
  box.body.append(form, el("p", { className: "desk-dialog__help", text: "The first row is the header row." }));
  box.buttons.append(submit, box.cancel);
  const number = (item, max) => {
    const value = Number(item.input.value);
    const ok = Number.isInteger(value) && value >= 1 && value <= max;
    item.show(ok ? [] : [`A whole number from 1 to ${max}.`]);
    return ok ? value : null;
  };
  const accept = (event) => {
    event.preventDefault();
    const r = number(rows, 50);
    const c = number(cols, 10);
    if (r === null || c === null) {
      (r === null ? rows : cols).input.focus();
      return;
    }
    box.finish({ rows: r, cols: c });
  };
  form.addEventListener("submit", accept);
  submit.addEventListener("click", accept);
  box.open();
  return box.done;
};

// ---------------------------------------------------------------------------------------------
// Paste: keep what the body can hold, say what it cannot.

const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;

export const cleanPastedHtml = (html, origin = window.location.origin) => {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const dropped = { otherPictures: 0, pictures: 0, frames: 0, scripts: 0, styles: 0, media: 0, fields: 0, formatting: 0 };
  const drop = (selector, key) => {
    for (const node of doc.body.querySelectorAll(selector)) {
      dropped[key] += 1;
      node.remove();
    }
  };
  // Head and body: a style sheet or a script may sit in either.
  for (const node of doc.querySelectorAll("script")) {
    dropped.scripts += 1;
    node.remove();
  }
  for (const node of doc.querySelectorAll("style, link[rel~=stylesheet]")) {
    dropped.styles += 1;
    node.remove();
  }
  for (const node of doc.body.querySelectorAll("img")) {
    let ours = false;
    try {
      ours = new URL(node.getAttribute("src") || "", origin).origin === origin;
    } catch (error) {
      ours = false;
    }
    dropped[ours ? "pictures" : "otherPictures"] += 1;
    node.remove();
  }
  drop("iframe, frame, frameset", "frames");
  drop("video, audio, object, embed, svg, math, canvas, picture", "media");
  drop("input, select, textarea, button, form", "fields");
  drop("noscript, template", "scripts");
  let handlers = 0;
  let formatted = false;
  for (const node of doc.body.querySelectorAll("*")) {
    for (const { name, value } of [...node.attributes]) {
      if (name.startsWith("on")) {
        handlers += 1;
        node.removeAttribute(name);
      } else if (name === "style" || name === "class") {
        if (value.trim() && !node.closest("[data-pm-slice]")) formatted = true;
        node.removeAttribute(name);
      } else if ((name === "href" || name === "src") && /^\s*(javascript|vbscript|data):/i.test(value)) {
        handlers += 1;
        node.removeAttribute(name);
      }
    }
  }
  dropped.scripts += handlers;
  if (formatted) dropped.formatting = 1;
  // Headings at the levels the page allows: h1 becomes h2, h5 and h6 become h4.
  for (const [from, to] of [
    ["h1", "h2"],
    ["h5", "h4"],
    ["h6", "h4"],
  ]) {
    for (const node of doc.body.querySelectorAll(from)) {
      const heading = doc.createElement(to);
      heading.append(...node.childNodes);
      node.replaceWith(heading);
    }
  }
  const parts = [];
  if (dropped.otherPictures) parts.push(plural(dropped.otherPictures, "picture from another site", "pictures from other sites"));
  if (dropped.pictures) parts.push(plural(dropped.pictures, "picture (use the Picture button)", "pictures (use the Picture button)"));
  if (dropped.frames) parts.push(plural(dropped.frames, "embedded frame (use the Embed button)", "embedded frames (use the Embed button)"));
  if (dropped.media) parts.push(plural(dropped.media, "video, drawing or other media", "videos, drawings or other media"));
  if (dropped.scripts) parts.push(plural(dropped.scripts, "script", "scripts"));
  if (dropped.styles) parts.push(plural(dropped.styles, "style sheet", "style sheets"));
  if (dropped.fields) parts.push(plural(dropped.fields, "form field", "form fields"));
  if (dropped.formatting) parts.push("colours, fonts and other styling");
  return { html: doc.body.innerHTML, report: parts.length ? `Dropped from the paste: ${parts.join(", ")}.` : "" };
};

export const BodyPaste = Extension.create({
  name: "bodyPaste",

  onCreate() {
    const container = this.editor.view.dom.closest(".prose-editor") || this.editor.view.dom.parentElement;
    const report = el("p", { className: "desk-paste-report", role: "status", "aria-live": "polite" });
    container.after(report);
    this.storage.report = report;
  },

  onDestroy() {
    if (this.storage.report) this.storage.report.remove();
  },

  addStorage() {
    return { report: null };
  },

  addProseMirrorPlugins() {
    const storage = this.storage;
    const say = (report) => {
      if (!storage.report) return;
      storage.report.textContent = report;
      storage.report.classList.toggle("desk-paste-report--shown", !!report);
    };
    // A file pasted or dropped in (a screenshot, a photo) is not kept: pictures come by upload.
    const refuseFiles = (transfer, verb) => {
      const files = transfer ? [...transfer.files] : [];
      if (!files.length || (transfer.types || []).includes("text/html")) return false;
      say(`Not ${verb}: ${plural(files.length, "file", "files")}. Add pictures with the Picture button, which can upload them.`);
      return true;
    };
    // A known provider's address pasted alone into an empty paragraph becomes an embed of it.
    const editor = this.editor;
    const pasteEmbed = (transfer) => {
      const embed = editor.extensionManager.extensions.find((extension) => extension.name === "bodyEmbed");
      const url = transfer ? transfer.getData("text/plain").trim() : "";
      if (!embed || !/^https?:\/\/\S+$/.test(url) || embedUrlProblem(url)) return false;
      const provider = providerFor(url, embed.options.providers);
      const { $from, empty } = editor.state.selection;
      const inEmptyParagraph = empty && $from.depth === 1 && $from.parent.type.name === "paragraph" && !$from.parent.content.size;
      if (provider.key === "link" || !inEmptyParagraph) return false;
      insertBlock(editor, { type: "bodyEmbed", attrs: { url, provider: provider.key, caption: "" } });
      say(`Pasted as an embed (${provider.label}). Undo (Ctrl+Z) to have the address as text instead.`);
      return true;
    };
    return [
      new Plugin({
        props: {
          transformPastedHTML(html) {
            const { html: kept, report } = cleanPastedHtml(html);
            say(report);
            return kept;
          },
          handlePaste: (view, event) => refuseFiles(event.clipboardData, "pasted") || pasteEmbed(event.clipboardData),
          handleDrop: (view, event) => refuseFiles(event.dataTransfer, "dropped in"),
        },
      }),
    ];
  },
});
