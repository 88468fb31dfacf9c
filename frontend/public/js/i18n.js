// The reader's language: Vietnamese, or English on addresses starting with /en/ (the CMS's own
// English paths, docs/localisation.md). Labels, dates and the news list follow it.

export const LANGUAGE_NAMES = { vi: "Tiếng Việt", en: "English" };

const LABELS = {
  vi: {
    news: "Tin tức",
    sectors: "Lĩnh vực",
    tags: "Thẻ",
    related: "Tin liên quan",
    previous: "← Tin trước",
    next: "Tin sau →",
    adjacent: "Tin trước và tin sau",
    download: "Tải tài liệu: ",
    source: "Xem tại nguồn",
    embedded: "Nội dung nhúng",
    figures: "Con số",
    allSectors: "Tất cả lĩnh vực",
    sectorFilter: "Lĩnh vực hợp tác",
    filter: "Lọc",
    filterNews: "Lọc tin",
    newsCount: (count) => `${count} tin`,
    pages: "Phân trang",
    previousPage: "← Trang trước",
    nextPage: "Trang sau →",
    pageOf: (page, pages) => `Trang ${page} / ${pages}`,
    firstPage: "Về trang đầu",
    emptyPage: "Không có tin nào ở trang này. ",
    noFilteredNews: "Chưa có tin nào theo bộ lọc này.",
    noNews: "Chưa có tin nào.",
    notFound: "Không tìm thấy trang",
    notFoundText: "Trang này không tồn tại hoặc chưa được xuất bản. ",
    backToList: "Về danh sách tin",
    languages: "Ngôn ngữ",
    siteName: "Tin hợp tác địa phương",
    tagline: "Giao diện tham khảo, đọc tin từ CMS qua GraphQL",
    skipLink: "Chuyển đến nội dung chính",
    // [before, code, after]: the footer's sentence around <code>frontend/</code>.
    footer: ["Giao diện tham khảo của CMS tin tức (", "frontend/", "): HTML và JavaScript thuần, không cần build."],
    loadFailed: "Không tải được nội dung",
    error: "Lỗi",
    unreachable: (url, origin) =>
      `Không kết nối được với CMS tại ${url}. Hãy kiểm tra CMS đang chạy (make run) ` +
      `và cho phép địa chỉ ${origin} trong CORS_ALLOWED_ORIGINS.`,
    unavailable: "CMS tạm thời không truy cập được cơ sở dữ liệu. Vui lòng tải lại trang sau vài giây.",
    cmsError: (message) => `CMS trả lời lỗi: ${message}`,
    redirecting: "Đang chuyển trang…",
  },
  en: {
    news: "News",
    sectors: "Sectors",
    tags: "Tags",
    related: "Related news",
    previous: "← Previous",
    next: "Next →",
    adjacent: "Previous and next news",
    download: "Download: ",
    source: "View at the source",
    embedded: "Embedded content",
    figures: "Key figures",
    allSectors: "All sectors",
    sectorFilter: "Cooperation sector",
    filter: "Filter",
    filterNews: "Filter the news",
    newsCount: (count) => `${count} ${count === 1 ? "article" : "articles"}`,
    pages: "Pages",
    previousPage: "← Previous page",
    nextPage: "Next page →",
    pageOf: (page, pages) => `Page ${page} of ${pages}`,
    firstPage: "Back to the first page",
    emptyPage: "There is no news on this page. ",
    noFilteredNews: "No news matches this filter yet.",
    noNews: "No news yet.",
    notFound: "Page not found",
    notFoundText: "This page does not exist or has not been published. ",
    backToList: "Back to the news",
    languages: "Languages",
    siteName: "Local Cooperation News",
    tagline: "Reference frontend, reading the news from the CMS through GraphQL",
    skipLink: "Skip to the main content",
    footer: ["Reference frontend of the news CMS (", "frontend/", "): plain HTML and JavaScript, no build step."],
    loadFailed: "The content could not be loaded",
    error: "Error",
    unreachable: (url, origin) =>
      `The CMS at ${url} does not answer. Check that it is running (make run) ` +
      `and that CORS_ALLOWED_ORIGINS allows ${origin}.`,
    unavailable: "The CMS cannot reach its database for the moment. Please reload the page in a few seconds.",
    cmsError: (message) => `The CMS answered with an error: ${message}`,
    redirecting: "Redirecting…",
  },
};

let current = "vi";

/** "en" for /en and /en/..., else "vi". */
export function languageOfPath(path) {
  return /^\/en(\/|$)/.test(path) ? "en" : "vi";
}

export function setLanguage(code) {
  current = LABELS[code] ? code : "vi";
  document.documentElement.lang = current;
  // The page's frame (index.html) is written in Vietnamese: its title, links, tagline and footer
  // follow the reader's language.
  const title = document.querySelector(".site-title");
  if (title) {
    title.setAttribute("href", homePath());
    title.textContent = t("siteName");
  }
  const tagline = document.querySelector(".site-tagline");
  if (tagline) tagline.textContent = t("tagline");
  const skipLink = document.querySelector(".skip-link");
  if (skipLink) skipLink.textContent = t("skipLink");
  const footer = document.querySelector(".site-footer p");
  if (footer) {
    const [before, code, after] = t("footer");
    const codeElement = document.createElement("code");
    codeElement.textContent = code;
    footer.replaceChildren(before, codeElement, after);
  }
}

export function language() {
  return current;
}

/** A label in the reader's language (a function for labels with numbers). */
export function t(key, ...values) {
  const label = LABELS[current][key] ?? LABELS.vi[key];
  return typeof label === "function" ? label(...values) : label;
}

/** The news list's address in the reader's language: "/" or "/en/". */
export function homePath() {
  return current === "vi" ? "/" : `/${current}/`;
}
