// dyad search worker: runs the Pagefind bundles of one language of the archive.
//
// Each language runs in a worker of its own because Pagefind's WebAssembly, which holds the
// stemmer, is one per JavaScript realm: merged into one page, every bundle would be searched
// with the first bundle's stemmer, and a Russian word form would not find a Russian abstract.
// A language's works may be split into several bundles (shards): those share the stemmer,
// so they are merged with Pagefind's own mergeIndex.
//
// Messages: {id, op, args} in, {id, value} or {id, error} out.
//   init    {bundles, base, counts}  load the bundles; with `counts`, every filter too (value:
//                                 every filter value's count), for a worker that counts
//   search  … countOnly           only the counts by filter value of the results
//   preload {q}                   fetch the index chunks a query will need
//   search  {q, filters, sort, token}  value: {results: [{id, score}], filters}
//   data    {ids, token}          value: the results' data (url, meta, excerpt), in order

let pagefind = null;
// The results of recent searches by token, to load their data later.
const searches = new Map();

const ops = {
  async init({ bundles, base, counts }) {
    pagefind = await import(bundles[0] + "pagefind.js");
    await pagefind.options({ basePath: bundles[0], baseUrl: base, excerptLength: 28 });
    await pagefind.init();
    await Promise.all(bundles.slice(1).map((b) => pagefind.mergeIndex(b, { baseUrl: base })));
    // A counting worker loads every filter, so that each search counts every value.
    return counts ? pagefind.filters() : null;
  },
  async preload({ q }) {
    if (q) await pagefind.preload(q);
    return null;
  },
  async search({ q, filters, sort, token, countOnly }) {
    const options = { filters };
    if (sort) options.sort = sort;
    const r = await pagefind.search(q || null, options);
    if (countOnly) return { results: [], filters: r.filters };
    searches.set(token, new Map(r.results.map((x) => [x.id, x])));
    for (const t of searches.keys()) {
      if (t < token - 4) searches.delete(t);
    }
    return {
      results: r.results.map((x) => ({ id: x.id, score: x.score })),
      filters: r.filters,
    };
  },
  async data({ ids, token }) {
    const results = searches.get(token);
    if (!results) throw new Error("search " + token + " is gone");
    const data = await Promise.all(ids.map((id) => results.get(id).data()));
    return data.map((d) => ({ url: d.url, meta: d.meta, excerpt: d.excerpt }));
  },
};

self.onmessage = async (event) => {
  const { id, op, args } = event.data;
  try {
    postMessage({ id, value: await ops[op](args || {}) });
  } catch (e) {
    postMessage({ id, error: String((e && e.message) || e) });
  }
};
