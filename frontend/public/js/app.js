// The router: "/" lists the news, "/preview?token=..." shows an editor's draft, any other path is
// a page of the CMS by its urlPath (e.g. /tin-tuc/<slug>/).
import { CmsError, graphql, graphqlUrl } from "./api.js";
import { renderArticle } from "./article.js";
import { h, setMetadata, setState, showPage, sitePath } from "./dom.js";
import { homePath, languageOfPath, setLanguage, t } from "./i18n.js";
import { renderNewsList } from "./news-list.js";
import { PAGE_BY_PATH, PREVIEW } from "./queries.js";

class NotFound extends Error {}

function previewBanner() {
  return h(
    "div",
    { class: "preview-banner", role: "status" },
    h("strong", {}, "Bản xem trước"),
    " — bản nháp chưa xuất bản; bạn đọc chưa thấy nội dung này.",
  );
}

async function previewRoute(params) {
  const robots = h("meta", { name: "robots", content: "noindex" });
  document.head.append(robots);
  const token = params.get("token");
  if (!token) {
    return {
      title: "Bản xem trước",
      state: "error",
      content: [
        h("h1", {}, "Thiếu mã xem trước"),
        h(
          "p",
          { class: "error", role: "alert" },
          "Địa chỉ này không có mã xem trước (token). Hãy mở bản xem trước từ trình soạn thảo trang trong CMS.",
        ),
      ],
    };
  }
  try {
    const { page } = await graphql(PREVIEW, { token });
    if (!page) throw new NotFound();
    setLanguage(page.locale);
    return { title: `Xem trước: ${page.title}`, content: [previewBanner(), pageContent(page)] };
  } catch (error) {
    // The CMS refuses a forged, expired or unknown token with one GraphQL error (home/preview.py).
    if (error instanceof CmsError && error.kind === "graphql") {
      return {
        title: "Bản xem trước",
        state: "error",
        // No banner: there is no draft here to call unpublished.
        content: [
          h("h1", {}, "Bản xem trước đã hết hạn hoặc không hợp lệ"),
          h(
            "p",
            { class: "error", role: "alert" },
            "Mã xem trước không còn dùng được. Hãy mở lại bản xem trước từ trình soạn thảo trang trong CMS.",
          ),
        ],
      };
    }
    throw error;
  }
}

function pageContent(page) {
  if (page.__typename === "NewsPage") return renderArticle(page);
  // Other page types (home, news index) have only a title here.
  return h("article", { class: "article" }, h("h1", {}, page.title));
}

async function pageRoute(path) {
  const { page, redirect } = await graphql(PAGE_BY_PATH, { urlPath: path.endsWith("/") ? path : `${path}/` });
  if (!page && redirect) {
    // A renamed or moved page (or a redirect editors added): go there, leaving no history entry.
    location.replace(redirect.urlPath ? sitePath(redirect.urlPath) + location.search : redirect.url);
    return { title: t("redirecting"), state: "redirecting", content: [h("p", {}, t("redirecting"))] };
  }
  if (!page) throw new NotFound();
  setLanguage(page.locale);
  setMetadata(page.seo, page.__typename === "NewsPage" ? "article" : "website");
  setAlternates(page);
  if (page.__typename === "NewsIndexPage") {
    return renderNewsList(new URLSearchParams(location.search), page.title, page.translations);
  }
  return { title: page.seo.title, content: [pageContent(page)] };
}

// <link rel="alternate" hreflang> for each language the page is in, for search engines.
function setAlternates(page) {
  document.head.querySelectorAll("link[hreflang]").forEach((element) => element.remove());
  if (!page.translations?.length) return;
  for (const { locale, urlPath } of [{ locale: page.locale, urlPath: page.urlPath }, ...page.translations]) {
    document.head.append(h("link", { rel: "alternate", hreflang: locale, href: new URL(sitePath(urlPath), location.origin).href }));
  }
}

function errorView(error) {
  if (error instanceof NotFound) {
    return {
      title: t("notFound"),
      state: "not-found",
      content: [h("h1", {}, t("notFound")), h("p", {}, t("notFoundText"), h("a", { href: homePath() }, t("backToList")))],
    };
  }
  const unreachable = error instanceof CmsError && (error.kind === "network" || error.kind === "timeout");
  const unavailable = error instanceof CmsError && error.kind === "unavailable";
  const detail = unreachable
    ? t("unreachable", graphqlUrl, location.origin)
    : unavailable
      ? t("unavailable")
      : t("cmsError", error.message);
  console.error(error);
  return {
    title: t("error"),
    state: "error",
    content: [h("h1", {}, t("loadFailed")), h("p", { class: "error", role: "alert" }, detail)],
  };
}

async function route() {
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  setLanguage(languageOfPath(path));
  if (path === "/" || path === "/index.html" || path === "/en" || path === "/en/") return renderNewsList(params);
  if (path === "/preview" || path === "/preview/") return previewRoute(params);
  return pageRoute(path);
}

async function start() {
  let view;
  try {
    view = await route();
  } catch (error) {
    view = errorView(error);
  }
  showPage(view.title, view.content);
  setState(view.state ?? "ready");
}

start();
