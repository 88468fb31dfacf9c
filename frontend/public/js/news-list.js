// The news list: newsPages with a sector filter (?sector=slug) and pagination (?page=N).
import { graphql, perPage } from "./api.js";
import { byline, languageSwitcher, sectorLinks } from "./article.js";
import { h, responsiveImage, sitePath } from "./dom.js";
import { homePath, language, t } from "./i18n.js";
import { NEWS_LIST } from "./queries.js";

function listUrl({ sector, tag, page }) {
  const params = new URLSearchParams();
  if (sector) params.set("sector", sector);
  if (tag) params.set("tag", tag);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `${homePath()}?${query}` : homePath();
}

// The news list in the other language: the home pages ("/" and "/en/") translate each other.
function otherHomes() {
  return language() === "en"
    ? [{ locale: "vi", urlPath: "/", title: "Tin tức" }]
    : [{ locale: "en", urlPath: "/en/", title: "News" }];
}

function pageNumber(value) {
  const number = Number.parseInt(value ?? "1", 10);
  return Number.isSafeInteger(number) && number >= 1 ? number : 1;
}

function filterForm(sectors, current) {
  const select = h(
    "select",
    { id: "sector", name: "sector" },
    h("option", { value: "" }, t("allSectors")),
    sectors.map((sector) =>
      h(
        "option",
        { value: sector.slug, selected: sector.slug === current.sector },
        `${sector.name} (${sector.newsCount})`,
      ),
    ),
  );
  // Choosing a sector applies it at once; the button is there for keyboards and without JS.
  select.addEventListener("change", () => {
    window.location.assign(listUrl({ sector: select.value, tag: current.tag, page: 1 }));
  });
  return h(
    "form",
    { class: "filter", method: "get", action: homePath(), role: "search", "aria-label": t("filterNews") },
    h("label", { for: "sector" }, t("sectorFilter")),
    select,
    current.tag ? h("input", { type: "hidden", name: "tag", value: current.tag }) : null,
    h("button", { type: "submit" }, t("filter")),
  );
}

function newsItem(item) {
  const href = sitePath(item.urlPath);
  return h(
    "li",
    { class: "news-item" },
    h(
      "article",
      {},
      responsiveImage(item.heroImage, {
        sizes: "(min-width: 40rem) 14rem, 100vw",
        className: "news-item-image",
      }),
      h(
        "div",
        { class: "news-item-text" },
        h("h2", {}, h("a", { href }, item.title)),
        byline(item),
        item.intro ? h("p", { class: "intro" }, item.intro) : null,
        sectorLinks(item.sectors),
      ),
    ),
  );
}

function pagination(info, current) {
  if (info.totalPages <= 1) return null;
  const link = (page, rel, text) => h("a", { href: listUrl({ ...current, page }), rel }, text);
  return h(
    "nav",
    { class: "pagination", "aria-label": t("pages") },
    info.prevPage ? link(info.prevPage, "prev", t("previousPage")) : null,
    h("span", { "aria-current": "page" }, t("pageOf", info.currentPage, info.totalPages)),
    info.nextPage ? link(info.nextPage, "next", t("nextPage")) : null,
  );
}

export async function renderNewsList(params, heading = t("news"), translations = null) {
  const current = {
    sector: params.get("sector") || null,
    tag: params.get("tag") || null,
    page: pageNumber(params.get("page")),
  };
  const data = await graphql(NEWS_LIST, { ...current, perPage, locale: language() });
  const { items, pagination: info } = data.newsPages;
  const sector = data.sectors.find((candidate) => candidate.slug === current.sector);
  const filters = [sector?.name, current.tag ? `#${current.tag}` : null];
  const title = [heading, ...filters].filter(Boolean).join(" — ");

  return {
    title,
    content: [
      languageSwitcher(translations ?? otherHomes()),
      h("h1", {}, title),
      filterForm(data.sectors, current),
      h("p", { class: "summary" }, t("newsCount", info.total)),
      items.length ? h("ol", { class: "news-list" }, items.map(newsItem)) : emptyList(info, current),
      pagination(info, current),
    ],
  };
}

function emptyList(info, current) {
  if (info.total > 0) {
    // Past the last page.
    const first = h("a", { href: listUrl({ ...current, page: 1 }) }, t("firstPage"));
    return h("p", { class: "status" }, t("emptyPage"), first);
  }
  const filtered = current.sector || current.tag;
  return h("p", { class: "status" }, filtered ? t("noFilteredNews") : t("noNews"));
}
