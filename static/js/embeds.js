// Click-to-load embeds (jinja2/includes/embed.html): the placeholder's button appears, and only
// when the reader presses it is the provider's player put in its place, sandboxed. Until then
// nothing is requested from the provider. A module: deferred, and run once however many embeds
// a page has.

const SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups";

function load(figure) {
  const src = new URL(figure.dataset.embedSrc);
  if (src.protocol !== "https:") return;
  const frame = document.createElement("iframe");
  frame.setAttribute("sandbox", SANDBOX);
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  frame.setAttribute("allow", "fullscreen; picture-in-picture");
  frame.setAttribute("loading", "lazy");
  frame.title = figure.dataset.embedTitle;
  frame.className = "embed__frame";
  frame.src = src.href;
  const box = document.createElement("div");
  box.className = "embed__box";
  box.append(frame);
  // The placeholder stays, hidden: print shows its link rather than the player.
  const placeholder = figure.querySelector(".embed__placeholder");
  placeholder.after(box);
  placeholder.hidden = true;
  frame.focus();
}

for (const figure of document.querySelectorAll(".embed[data-embed-src]")) {
  const button = figure.querySelector(".embed__load");
  if (!button) continue;
  button.hidden = false;
  button.addEventListener("click", () => load(figure), { once: true });
}
