// The GraphQL documents this app sends (see docs/graphql.md). Fields follow schema.graphql.

// 320–1200px renditions for `srcset`; the 960px one as `src` for browsers without srcset.
const PICTURE = `
fragment Picture on ImageObjectType {
  url width height title description
  srcSet(sizes: [320, 640, 960, 1200])
  rendition(width: 960) { url width height }
}`;

// A news page with every body block type the schema has.
const ARTICLE = `
fragment Article on NewsPage {
  id title urlPath date author intro heroCaption
  heroImage { ...Picture }
  sectors { name slug }
  tags { name slug }
  body {
    id field blockType
    ... on CharBlock { value }
    ... on RichTextBlock { value }
    ... on ImageBlock { caption credit image { ...Picture } }
    ... on QuoteBlock { text attribution }
    ... on KeyFiguresBlock { title figures { value label } }
    ... on DocumentChooserBlock { document { title url fileSize } }
    ... on EmbedBlock { url embed }
  }
  related(limit: 4) { id title urlPath date }
  previous { title urlPath }
  next { title urlPath }
}`;

export const NEWS_LIST = `
query NewsList($page: Int!, $perPage: Int!, $sector: String, $tag: String, $locale: String) {
  newsPages(page: $page, perPage: $perPage, sector: $sector, tag: $tag, order: "-date", locale: $locale) {
    items {
      id title urlPath date author intro
      heroImage { ...Picture }
      sectors { name slug }
    }
    pagination { total count perPage currentPage totalPages nextPage prevPage }
  }
  sectors(locale: $locale) { name slug newsCount }
}
${PICTURE}`;

export const PAGE_BY_PATH = `
query PageByPath($urlPath: String!) {
  page(urlPath: $urlPath) {
    __typename title urlPath locale
    translations { locale urlPath title }
    seo { title description canonicalUrl image { url width height alt } }
    ... on NewsPage { ...Article }
  }
  redirect(path: $urlPath) { urlPath url }
}
${ARTICLE}
${PICTURE}`;

export const PREVIEW = `
query Preview($token: String!) {
  page(token: $token) {
    __typename title urlPath locale
    ... on NewsPage { ...Article }
  }
}
${ARTICLE}
${PICTURE}`;
