// Building the page from data. Every string goes into the DOM as text (el.append(string) makes a
// text node), so nothing from the CMS can inject markup — except rich text, see richText().
import { language, t } from "./i18n.js";

/**
 * h("a", { href: "/x", class: "link" }, "text", child, [more, children])
 * Attributes set to null, undefined or false are left out; true sets an empty attribute.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/**
 * The CMS's rich text. It is HTML that the CMS has already sanitised (Draftail's converter keeps
 * only the allowed tags and attributes), so it is the one thing inserted as markup; the page's
 * Content-Security-Policy (frontend/serve.py) forbids inline script besides.
 */
export function richText(html, className = "rich-text") {
  const container = h("div", { class: className });
  container.innerHTML = html; // trusted: sanitised by the CMS
  for (const link of container.querySelectorAll("a[href]")) {
    if (!isSafeUrl(link.getAttribute("href"), { allowRelative: true })) link.removeAttribute("href");
  }
  return container;
}

/** http(s) URLs (and, if allowed, paths on this site) only: never javascript: or data:. */
export function isSafeUrl(value, { allowRelative = false } = {}) {
  if (typeof value !== "string" || value === "") return false;
  if (allowRelative && value.startsWith("/") && !value.startsWith("//")) return true;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export function safeUrl(value, options) {
  return isSafeUrl(value, options) ? value : null;
}

/** A site-relative path from the CMS ("/tin-tuc/x/") as a link on this site. */
export function sitePath(urlPath) {
  return typeof urlPath === "string" && urlPath.startsWith("/") && !urlPath.startsWith("//")
    ? urlPath
    : "/";
}

// Day first, as Vietnamese readers (and the admin) write dates: 28/11/2026; in English, as British
// and international English do: 28 November 2026.
const dateFormats = {
  vi: new Intl.DateTimeFormat("vi-VN", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }),
  en: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }),
};

/** "2026-11-28" → <time datetime="2026-11-28">28/11/2026</time> (no time-zone shift). */
export function dateElement(isoDate) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? "");
  if (!match) return null;
  const [, year, month, day] = match.map(Number);
  const format = dateFormats[language()] ?? dateFormats.vi;
  return h("time", { datetime: isoDate }, format.format(Date.UTC(year, month - 1, day)));
}

const numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

export function fileSize(bytes) {
  if (typeof bytes !== "number" || bytes < 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${numberFormat.format(bytes / 1024)} KB`;
  return `${numberFormat.format(bytes / (1024 * 1024))} MB`;
}

/**
 * A responsive <img> from an image of the GraphQL API: `srcset` from `srcSet`, `src` from the
 * 960px rendition (or the original), the rendition's size to reserve the space.
 */
export function responsiveImage(image, { alt = "", sizes = "100vw", eager = false, className } = {}) {
  if (!image) return null;
  const fallback = image.rendition ?? image;
  const src = safeUrl(fallback.url) ?? safeUrl(image.url);
  if (!src) return null;
  return h("img", {
    class: className,
    src,
    srcset: image.srcSet || null,
    sizes: image.srcSet ? sizes : null,
    width: fallback.width,
    height: fallback.height,
    alt: image.description || alt || "",
    loading: eager ? "eager" : "lazy",
    decoding: "async",
  });
}

/** Replaces the contents of <main> and tells assistive technology and tests it is ready. */
export function showPage(title, ...content) {
  const main = document.getElementById("main");
  main.replaceChildren(...content.flat(Infinity).filter(Boolean));
  main.setAttribute("aria-busy", "false");
  document.title = title ? `${title} — ${t("siteName")}` : t("siteName");
}

/**
 * The page's metadata in <head>: description, canonical address and Open Graph tags (what Zalo,
 * Facebook and others show for a shared link), from the CMS's `seo` field.
 */
export function setMetadata(seo, type = "article") {
  document.head.querySelectorAll("[data-seo]").forEach((element) => element.remove());
  if (!seo) return;
  const tags = [
    ["meta", { name: "description", content: seo.description }],
    ["link", { rel: "canonical", href: seo.canonicalUrl }],
    ["meta", { property: "og:type", content: type }],
    ["meta", { property: "og:title", content: seo.title }],
    ["meta", { property: "og:description", content: seo.description }],
    ["meta", { property: "og:url", content: seo.canonicalUrl }],
    ["meta", { property: "og:locale", content: language() === "en" ? "en_GB" : "vi_VN" }],
  ];
  if (seo.image) {
    tags.push(
      ["meta", { property: "og:image", content: seo.image.url }],
      ["meta", { property: "og:image:width", content: String(seo.image.width) }],
      ["meta", { property: "og:image:height", content: String(seo.image.height) }],
      ["meta", { property: "og:image:alt", content: seo.image.alt }],
    );
  }
  for (const [tag, attributes] of tags) {
    document.head.append(h(tag, { ...attributes, "data-seo": "" }));
  }
}

export function setState(state) {
  document.body.dataset.state = state;
}
