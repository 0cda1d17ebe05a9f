// The story form's "Search and social" preview: the Google result and the share card, redrawn as
// the editor types. Each part falls back as the readers' page does (articles.models.Article:
// effective_seo_title, effective_meta_description, effective_social_headline,
// effective_social_description, effective_social_image); the lengths shown come from the server.
(() => {
  "use strict";

  const preview = document.getElementById("social-preview");
  const form = document.getElementById("article_form");
  if (!preview || !form) return;

  const data = preview.dataset;
  const field = (name) => form.elements.namedItem(name);
  const value = (name) => {
    const element = field(name);
    return element && typeof element.value === "string" ? element.value.trim() : "";
  };
  const checked = (name) => Boolean(field(name) && field(name).checked);
  const chosen = (name) => Boolean(field(name) && field(name).files && field(name).files.length);
  const part = (name) => preview.querySelector(`[data-preview="${name}"]`);

  // Cut where search engines and cards do, near a word boundary, and say so with an ellipsis.
  const truncate = (text, limit) => {
    const flat = text.replace(/\s+/g, " ").trim();
    if (!limit || flat.length <= limit) return flat;
    const cut = flat.slice(0, limit + 1);
    const space = cut.lastIndexOf(" ");
    return `${(space > limit * 0.6 ? cut.slice(0, space) : flat.slice(0, limit)).trimEnd()} ...`;
  };

  // The body's text, as Article.summary takes it when there is no standfirst (its first 300 characters).
  const bodyText = () => {
    const html = value("body");
    if (!html) return "";
    const parsed = new DOMParser().parseFromString(html, "text/html");
    return (parsed.body.textContent || "").replace(/\s+/g, " ").trim().slice(0, 300);
  };
  const summary = () => value("standfirst") || (field("body") ? bodyText() : data.summary || "");

  // Google's way of showing an address: the host, then the path's parts (the slug as typed).
  const address = () => {
    const url = new URL(data.address || data.siteUrl);
    const parts = url.pathname.split("/").filter(Boolean);
    const slug = value("slug");
    if (!data.address) parts.push("…", slug);
    else if (slug) parts[parts.length - 1] = slug;
    return [url.host, ...parts.filter(Boolean)].join(" › ");
  };

  // The card's picture: a new upload (not shown until saved), the social image, the lead image, the site's.
  const image = () => {
    for (const [upload, remove, saved] of [
      ["social_picture", "social_picture_remove", "social"],
      ["image", "image_remove", "lead"],
    ]) {
      if (chosen(upload)) return "new";
      if (data[`${saved}Src`] && !checked(remove)) return saved;
    }
    return data.defaultSrc ? "default" : null;
  };

  const show = () => {
    const headline = value("headline");
    part("url").textContent = address();
    part("title").textContent = truncate(`${value("seo_title") || headline} · ${data.siteName}`, +data.titleShown);
    part("description").textContent = truncate(value("meta_description") || summary(), +data.descriptionShown);
    part("headline").textContent = truncate(value("social_headline") || headline, +data.headlineShown);
    part("card-description").textContent = truncate(
      value("social_description") || summary(),
      +data.cardDescriptionShown,
    );
    const picture = image();
    const img = part("image");
    img.hidden = !picture || picture === "new";
    part("new-image").hidden = picture !== "new";
    part("no-image").hidden = Boolean(picture);
    if (picture && picture !== "new") {
      img.src = data[`${picture}Src`];
      img.alt = data[`${picture}Alt`] || "";
    }
  };

  // The body editor writes its text into its field after the keystroke: draw once it has.
  const soon = () => window.requestAnimationFrame(show);
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  show();
})();
