// The <meta> of pages whose URL carries a secret (an invitation code or token, a reset link's token).

/**
 * The title, and what keeps the URL's secret at home: no referrer to other sites, no search engine.
 * ("same-origin", not "no-referrer": under no-referrer a browser posts the page's forms with
 * "Origin: null", which the cross-site check and Remix refuse: the join button failed without JS.)
 */
export function secretUrlMeta(title: string | undefined) {
  return [
    { title: title ?? "Vignette" },
    { name: "referrer", content: "same-origin" },
    { name: "robots", content: "noindex" },
  ];
}
