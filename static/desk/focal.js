// The focal point of a picture, set by clicking it: the button under a picture's preview opens
// the whole picture; a click (or the arrow keys on it) moves the point, writes the two
// percentage boxes, and shows the 16:9, 4:3 and 1:1 crops it gives, computed as the server crops
// (newsroom.lib.images.crop_box). The boxes stay, for typing a value; the form saves as before.
(() => {
  "use strict";

  const CROPS = [["16:9", 16, 9], ["4:3", 4, 3], ["1:1", 1, 1]];

  // The largest box of the ratio inside the picture, centred as near the point as fits.
  const cropBox = (width, height, ratioW, ratioH, x, y) => {
    let boxW = width;
    let boxH = Math.floor((width * ratioH) / ratioW);
    if (boxH > height) {
      boxW = Math.floor((height * ratioW) / ratioH);
      boxH = height;
    }
    const left = Math.min(Math.max(Math.round(x * width - boxW / 2), 0), width - boxW);
    const top = Math.min(Math.max(Math.round(y * height - boxH / 2), 0), height - boxH);
    return { left, top, boxW, boxH };
  };

  const open = (button) => {
    const prefix = button.dataset.focalFor;
    const inputX = document.getElementById(`id_${prefix}_focal_x`);
    const inputY = document.getElementById(`id_${prefix}_focal_y`);
    const width = Number(button.dataset.width);
    const height = Number(button.dataset.height);
    const value = (input) => {
      const number = Number(input.value);
      return input.value === "" || Number.isNaN(number) ? 0.5 : Math.min(Math.max(number, 0), 100) / 100;
    };

    const panel = document.createElement("div");
    panel.className = "desk-focal";
    const help = document.createElement("p");
    help.id = `desk-focal-help-${prefix}`;
    help.textContent = "Click the part of the picture every crop must keep, or use the arrow keys.";
    const frame = document.createElement("div");
    frame.className = "desk-focal__frame";
    frame.tabIndex = 0;
    frame.setAttribute("role", "group");
    frame.setAttribute("aria-describedby", help.id);
    const whole = document.createElement("img");
    whole.src = button.dataset.original;
    whole.alt = "";
    whole.className = "desk-focal__picture";
    const marker = document.createElement("span");
    marker.className = "desk-focal__marker";
    marker.setAttribute("aria-hidden", "true");
    frame.append(whole, marker);
    const position = document.createElement("p");
    position.className = "desk-focal__position";
    position.setAttribute("aria-live", "polite");

    const crops = document.createElement("div");
    crops.className = "desk-focal__crops";
    const previews = CROPS.map(([label, ratioW, ratioH]) => {
      const figure = document.createElement("figure");
      const box = document.createElement("div");
      box.className = "desk-focal__crop";
      box.style.aspectRatio = `${ratioW} / ${ratioH}`; // CSSOM, which the CSP allows
      const image = document.createElement("img");
      image.src = button.dataset.original;
      image.alt = "";
      box.append(image);
      const caption = document.createElement("figcaption");
      caption.textContent = label;
      figure.append(box, caption);
      crops.append(figure);
      return { box, image, ratioW, ratioH };
    });

    const show = () => {
      const x = value(inputX);
      const y = value(inputY);
      marker.style.left = `${x * 100}%`;
      marker.style.top = `${y * 100}%`;
      position.textContent = `Focal point: ${Math.round(x * 100)}% across, ${Math.round(y * 100)}% down.`;
      for (const { box, image, ratioW, ratioH } of previews) {
        const crop = cropBox(width, height, ratioW, ratioH, x, y);
        // The whole picture scaled so the crop fills the box, shifted to the crop's corner.
        image.style.width = `${(width / crop.boxW) * 100}%`;
        image.style.left = `${(-crop.left / crop.boxW) * 100}%`;
        image.style.top = `${(-crop.top / crop.boxH) * 100}%`;
      }
    };
    const set = (x, y) => {
      inputX.value = String(Math.round(Math.min(Math.max(x, 0), 1) * 100));
      inputY.value = String(Math.round(Math.min(Math.max(y, 0), 1) * 100));
      for (const input of [inputX, inputY]) input.dispatchEvent(new Event("change", { bubbles: true }));
      show();
    };

    whole.addEventListener("click", (event) => {
      const box = whole.getBoundingClientRect();
      set((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    });
    frame.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? 0.1 : 0.01;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      set(value(inputX) + move[0], value(inputY) + move[1]);
    });
    for (const input of [inputX, inputY]) input.addEventListener("input", show);

    panel.append(help, frame, position, crops);
    button.after(panel);
    button.setAttribute("aria-expanded", "true");
    button.textContent = "Hide the focal point picker";
    show();
    return panel;
  };

  const start = () => {
  for (const button of document.querySelectorAll(".desk-focal-open")) {
    const prefix = button.dataset.focalFor;
    if (!document.getElementById(`id_${prefix}_focal_x`) || !document.getElementById(`id_${prefix}_focal_y`)) continue;
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    let panel = null;
    button.addEventListener("click", () => {
      if (!panel) {
        panel = open(button);
        return;
      }
      panel.hidden = !panel.hidden;
      button.setAttribute("aria-expanded", String(!panel.hidden));
      button.textContent = panel.hidden ? "Set the focal point on the picture" : "Hide the focal point picker";
    });
  }
  };
  // Loaded in the page's head with the form's media: wait for the form.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
