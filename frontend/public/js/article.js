// One news page, published or a preview draft: the same renderer for both.
import {
  dateElement,
  fileSize,
  h,
  isSafeUrl,
  responsiveImage,
  richText,
  safeUrl,
  sitePath,
} from "./dom.js";
import { homePath, LANGUAGE_NAMES, t } from "./i18n.js";

const ARTICLE_IMAGE_SIZES = "(min-width: 50rem) 46rem, 100vw";

export function sectorLinks(sectors, label = t("sectors")) {
  if (!sectors?.length) return null;
  return h(
    "ul",
    { class: "chips sectors", "aria-label": label },
    sectors.map((sector) =>
      h("li", {}, h("a", { href: `${homePath()}?sector=${encodeURIComponent(sector.slug)}` }, sector.name)),
    ),
  );
}

/** Links to the page in its other languages (`translations`), each in its own language. */
export function languageSwitcher(translations) {
  if (!translations?.length) return null;
  return h(
    "nav",
    { class: "languages", "aria-label": t("languages") },
    translations.map((translation) =>
      h(
        "a",
        {
          href: sitePath(translation.urlPath),
          hreflang: translation.locale,
          lang: translation.locale,
          title: translation.title,
        },
        LANGUAGE_NAMES[translation.locale] ?? translation.locale,
      ),
    ),
  );
}

function tagLinks(tags) {
  if (!tags?.length) return null;
  return h(
    "ul",
    { class: "chips tags", "aria-label": t("tags") },
    tags.map((tag) =>
      h("li", {}, h("a", { href: `${homePath()}?tag=${encodeURIComponent(tag.slug)}` }, `#${tag.name}`)),
    ),
  );
}

export function byline(page) {
  const parts = [dateElement(page.date), page.author ? h("span", { class: "author" }, page.author) : null];
  const present = parts.filter(Boolean);
  if (!present.length) return null;
  return h(
    "p",
    { class: "byline" },
    present.flatMap((part, index) => (index ? [" · ", part] : [part])),
  );
}

function figure(image, caption, credit, { eager = false, className }) {
  const img = responsiveImage(image, { alt: caption, sizes: ARTICLE_IMAGE_SIZES, eager });
  if (!img && !caption) return null;
  const captionParts = [
    caption ? h("span", { class: "caption" }, caption) : null,
    credit ? h("span", { class: "credit" }, caption ? ` (${credit})` : credit) : null,
  ].filter(Boolean);
  return h("figure", { class: className }, img, captionParts.length ? h("figcaption", {}, captionParts) : null);
}

function lines(text) {
  return String(text)
    .split(/\r?\n/)
    .flatMap((line, index) => (index ? [h("br"), line] : [line]));
}

/**
 * An embed (YouTube, Facebook, ...). Its HTML comes from the provider through the CMS, so it is
 * never inserted into this page: a plain <iframe src> player is re-created from its address;
 * anything else runs in a sandboxed frame with an opaque origin. A link to the source always.
 */
function embedFrame(html, url) {
  if (!html) return null;
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const frames = parsed.querySelectorAll("iframe[src]");
  const onlyAFrame = frames.length === 1 && !parsed.querySelector("script");
  if (onlyAFrame && isSafeUrl(frames[0].getAttribute("src"))) {
    const source = frames[0];
    return h("iframe", {
      src: source.getAttribute("src"),
      title: source.getAttribute("title") || `${t("embedded")}: ${url}`,
      loading: "lazy",
      allow: "fullscreen; picture-in-picture; encrypted-media",
      allowfullscreen: true,
      referrerpolicy: "strict-origin-when-cross-origin",
    });
  }
  return h("iframe", {
    srcdoc: html,
    sandbox: "allow-scripts allow-popups allow-presentation",
    title: `${t("embedded")}: ${url}`,
    loading: "lazy",
  });
}

const BLOCKS = {
  CharBlock: (block) => (block.value ? h("h2", { class: "block block-heading" }, block.value) : null),

  RichTextBlock: (block) => richText(block.value ?? "", "block block-paragraph rich-text"),

  ImageBlock: (block) =>
    figure(block.image, block.caption, block.credit, { className: "block block-image" }),

  QuoteBlock: (block) =>
    h(
      "figure",
      { class: "block block-quote" },
      h("blockquote", {}, h("p", {}, lines(block.text ?? ""))),
      block.attribution ? h("figcaption", {}, `— ${block.attribution}`) : null,
    ),

  KeyFiguresBlock: (block) =>
    h(
      "section",
      { class: "block block-key-figures", "aria-label": block.title || t("figures") },
      block.title ? h("h2", {}, block.title) : null,
      h(
        "ul",
        {},
        (block.figures ?? []).map((item) =>
          h(
            "li",
            {},
            h("strong", { class: "figure-value" }, item.value),
            " ",
            h("span", { class: "figure-label" }, item.label),
          ),
        ),
      ),
    ),

  DocumentChooserBlock: (block) => {
    const document = block.document;
    const href = safeUrl(document?.url);
    if (!document || !href) return null;
    const size = fileSize(document.fileSize);
    return h(
      "p",
      { class: "block block-document" },
      h("a", { href, download: true }, `${t("download")}${document.title}`),
      size ? h("span", { class: "file-size" }, ` (${size})`) : null,
    );
  },

  EmbedBlock: (block) => {
    const href = safeUrl(block.url);
    const frame = embedFrame(block.embed, block.url);
    if (!href && !frame) return null;
    return h(
      "figure",
      { class: "block block-embed" },
      frame ? h("div", { class: "embed-frame" }, frame) : null,
      href ? h("figcaption", {}, h("a", { href, rel: "noopener" }, t("source"))) : null,
    );
  },
};

export function renderBlock(block) {
  const render = BLOCKS[block.blockType];
  if (!render) {
    // A block type added to the CMS after this app: skipped, not fatal.
    console.warn(`Khối nội dung chưa hỗ trợ: ${block.blockType} (${block.field})`);
    return null;
  }
  const element = render(block);
  element?.setAttribute?.("data-block", block.field);
  return element;
}

// Related news ("Tin liên quan"), and the previous and next news of the section.
function readNext(page) {
  const related = page.related?.length
    ? h(
        "section",
        { class: "related", "aria-labelledby": "related-heading" },
        h("h2", { id: "related-heading" }, t("related")),
        h(
          "ul",
          {},
          page.related.map((item) =>
            h("li", {}, h("a", { href: sitePath(item.urlPath) }, item.title), " ", dateElement(item.date)),
          ),
        ),
      )
    : null;
  const step = (item, rel, label) =>
    item ? h("a", { href: sitePath(item.urlPath), rel, class: rel }, h("span", {}, label), item.title) : null;
  const steps = [step(page.previous, "prev", t("previous")), step(page.next, "next", t("next"))];
  const nav = steps.some(Boolean) ? h("nav", { class: "adjacent", "aria-label": t("adjacent") }, steps) : null;
  return related || nav ? h("aside", { class: "read-next" }, related, nav) : null;
}

export function renderArticle(page) {
  return h(
    "article",
    { class: "article" },
    h(
      "header",
      { class: "article-header" },
      languageSwitcher(page.translations),
      sectorLinks(page.sectors),
      h("h1", {}, page.title),
      byline(page),
      page.intro ? h("p", { class: "intro" }, page.intro) : null,
    ),
    figure(page.heroImage, page.heroCaption, null, { eager: true, className: "hero" }),
    h("div", { class: "article-body" }, (page.body ?? []).map(renderBlock)),
    page.tags?.length ? h("footer", { class: "article-footer" }, tagLinks(page.tags)) : null,
    readNext(page),
  );
}
