// The one way this app talks to the CMS: a GraphQL POST with a bounded wait.
import { config } from "/config.js";

export class CmsError extends Error {
  /**
   * kind: "network" (no answer), "timeout", "unavailable" (503: the CMS's database is down; try
   * again shortly), "http" (an answer that is not GraphQL) or "graphql".
   */
  constructor(kind, messages = []) {
    super(messages.join("\n") || kind);
    this.name = "CmsError";
    this.kind = kind;
    this.messages = messages;
  }
}

export const graphqlUrl = config.graphqlUrl;
export const perPage = config.perPage;

export async function graphql(query, variables = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), config.timeoutMs);
  let response;
  let body;
  try {
    response = await fetch(config.graphqlUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
      credentials: "omit",
      signal: controller.signal,
    });
    body = await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw new CmsError("timeout");
    if (response) throw new CmsError("http", [`HTTP ${response.status}`]);
    throw new CmsError("network", [String(error.message ?? error)]);
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 503) {
    throw new CmsError("unavailable", (body?.errors ?? []).map((error) => String(error.message)));
  }
  if (Array.isArray(body?.errors) && body.errors.length) {
    throw new CmsError(
      "graphql",
      body.errors.map((error) => String(error.message)),
    );
  }
  if (!response.ok || !body?.data) throw new CmsError("http", [`HTTP ${response.status}`]);
  return body.data;
}
