// dyad search page: a search box, filters with counts, results, all kept in the URL.
//
// The index is Pagefind's, one bundle per language of the abstracts (see search-worker.js for
// why each runs in a worker of its own). A query goes to every bundle at once; results are
// merged by score (by date, newest first, when only filters are set). Typing searches after a
// short pause (DEBOUNCE_MS); Enter searches at once. The page state is the URL:
// ?q=gas&sphere=energy&period=transit, one parameter per ticked filter value.

const DEBOUNCE_MS = 80;
// How long results stay before their counts by filter value are asked for.
const COUNT_DELAY_MS = 250;
const PAGE = 10;

const form = document.getElementById("search");
const config = JSON.parse(form.dataset.config);
const LANG = document.documentElement.lang || "en";
// The interface strings, in the page's language (Fluent messages rendered by dyad, with
// `{name}` where a value goes; `works` holds count-works in each CLDR plural form).
const STRINGS = config.strings || {};
function say(key, values = {}) {
  const text = STRINGS[key] || key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}
let plurals = null;
try {
  plurals = new Intl.PluralRules(LANG);
} catch (_) {
  plurals = new Intl.PluralRules("en");
}
function num(n) {
  return n.toLocaleString(LANG);
}
// "12 works", in the plural form the language gives the number.
function works(n) {
  const forms = STRINGS.works || { one: "{count} work", other: "{count} works" };
  const text = (n === 0 && forms["=0"]) || forms[plurals.select(n)] || forms.other || "{count}";
  return text.replace("{count}", num(n));
}
const FACETS = ["sphere", "period", "year", "language", "author", "actor", "keyword"].map((f) => [f, say("facet-" + f)]);
const box = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("results");
const more = document.getElementById("more");
const filtersEl = document.getElementById("filters");

const labels = {
  period: new Map(config.periods),
  sphere: new Map(config.spheres),
};
const order = {
  period: config.periods.map((p) => p[0]),
  sphere: config.spheres.map((s) => s[0]),
};
let languageNames = null;
try {
  languageNames = new Intl.DisplayNames([LANG], { type: "language" });
} catch (_) {
  languageNames = null;
}

function label(facet, value) {
  if (labels[facet]) return labels[facet].get(value) || value;
  if (facet === "language" && languageNames) {
    try {
      return languageNames.of(value) || value;
    } catch (_) {
      return value;
    }
  }
  return value;
}

// ---------- Workers ----------

class Bundle {
  constructor(urls, counts) {
    this.worker = new Worker(config.worker, { type: "module" });
    this.pending = new Map();
    this.next = 0;
    this.worker.onmessage = (e) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if ("error" in e.data) p.reject(new Error(e.data.error));
      else p.resolve(e.data.value);
    };
    this.ready = this.call("init", { bundles: urls, base: config.base, counts });
  }
  call(op, args) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }
}

// Two workers per language: one finds results, the other (which loads every filter) counts
// them by filter value. Counting by author, actor and keyword, which have thousands of
// values, takes longer than finding; the results do not wait for it.
const bundles = config.bundles.map((urls) => new Bundle(urls, false));
// Started once the finding workers are ready, so as not to slow their loading.
let counters = null;

function mergeCounts(all) {
  const out = {};
  for (const counts of all) {
    for (const [facet, values] of Object.entries(counts || {})) {
      out[facet] = out[facet] || {};
      for (const [v, n] of Object.entries(values)) out[facet][v] = (out[facet][v] || 0) + n;
    }
  }
  return out;
}

// ---------- State and URL ----------

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const selected = {};
  for (const [facet] of FACETS) {
    const values = params.getAll(facet).filter((v) => v !== "");
    if (values.length) selected[facet] = values;
  }
  return { q: (params.get("q") || "").trim(), selected };
}

// Filters ticked before the filter lists exist (from the URL): used until they are drawn.
let pendingSelected = {};

function currentState() {
  if (!groups.size) return { q: box.value.trim(), selected: pendingSelected };
  const selected = {};
  for (const input of filtersEl.querySelectorAll("input[type=checkbox]:checked")) {
    (selected[input.name] = selected[input.name] || []).push(input.value);
  }
  return { q: box.value.trim(), selected };
}

function urlOf(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [facet] of FACETS) {
    for (const v of state.selected[facet] || []) params.append(facet, v);
  }
  const s = params.toString();
  return location.pathname + (s ? "?" + s : "");
}

// ---------- Filters ----------

// Facets with few values (periods, spheres, years, languages) keep one checkbox per value for
// the page's life. Facets with thousands (authors, actors, keywords) show only their values
// with the most results, redrawn after each search: thousands of checkboxes would make every
// search wait for the browser to lay them out.
const LONG = new Set(["author", "actor", "keyword"]);
// Values a long facet shows, and shows at most when expanded.
const LONG_SHOWN = 8;
const LONG_MAX = 60;

const groups = new Map(); // facet -> {fieldset, ul, toggle, inputs: Map(value -> {li, input, count})}
let lastCounts = {};
let idSeq = 0;

function sortedValues(facet, counts) {
  const values = Object.keys(counts);
  if (order[facet]) {
    const rank = new Map(order[facet].map((v, i) => [v, i]));
    return values.sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9));
  }
  if (facet === "year") return values.sort((a, b) => b.localeCompare(a));
  return values.sort((a, b) => counts[b] - counts[a] || a.localeCompare(b));
}

function checkbox(facet, v, checked) {
  const li = document.createElement("li");
  const input = document.createElement("input");
  input.type = "checkbox";
  input.name = facet;
  input.value = v;
  input.id = "f" + idSeq++;
  input.checked = checked;
  const lab = document.createElement("label");
  lab.htmlFor = input.id;
  lab.append(label(facet, v) + " ");
  const count = document.createElement("span");
  count.className = "count";
  lab.append(count);
  li.append(input, lab);
  return { li, input, count };
}

function buildFilters(totals, selected) {
  filtersEl.textContent = "";
  groups.clear();
  for (const [facet, title] of FACETS) {
    const counts = { ...(totals[facet] || {}) };
    for (const v of selected[facet] || []) if (!(v in counts)) counts[v] = 0;
    if (!Object.keys(counts).length) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "facet";
    const legend = document.createElement("legend");
    legend.textContent = title;
    fieldset.append(legend);
    const ul = document.createElement("ul");
    fieldset.append(ul);
    const inputs = new Map();
    let toggle = null;
    if (LONG.has(facet)) {
      // Ticked values stay listed (to be unticked) even when no result has them.
      for (const v of selected[facet] || []) inputs.set(v, checkbox(facet, v, true));
      toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "facet-toggle";
      toggle.setAttribute("aria-expanded", "false");
      toggle.textContent = say("show-more");
      toggle.hidden = true;
      toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        showCounts(lastCounts);
      });
      fieldset.append(toggle);
    } else {
      for (const v of sortedValues(facet, counts)) {
        const c = checkbox(facet, v, (selected[facet] || []).includes(v));
        ul.append(c.li);
        inputs.set(v, c);
      }
    }
    filtersEl.append(fieldset);
    groups.set(facet, { fieldset, ul, toggle, inputs });
  }
}

// Writes the counts of the latest search; hides values no result has (unless ticked).
function showCounts(counts) {
  lastCounts = counts;
  for (const [facet, g] of groups) {
    const c = counts[facet] || {};
    if (LONG.has(facet)) {
      showLong(facet, g, c);
      continue;
    }
    let available = 0;
    for (const [v, { li, input, count }] of g.inputs) {
      const n = c[v] || 0;
      count.textContent = num(n);
      li.hidden = !(n > 0 || input.checked);
      if (!li.hidden) available++;
    }
    g.fieldset.hidden = available === 0;
  }
}

function showLong(facet, g, c) {
  const open = g.toggle.getAttribute("aria-expanded") === "true";
  const focused = g.ul.contains(document.activeElement) ? document.activeElement.value : null;
  const ticked = [...g.inputs.values()].filter((x) => x.input.checked).map((x) => x.input.value);
  const ranked = Object.keys(c).filter((v) => c[v] > 0 && !ticked.includes(v));
  ranked.sort((a, b) => c[b] - c[a] || a.localeCompare(b));
  const shown = [...ticked, ...ranked.slice(0, Math.max(0, (open ? LONG_MAX : LONG_SHOWN) - ticked.length))];
  const inputs = new Map();
  g.ul.textContent = "";
  for (const v of shown) {
    const x = g.inputs.get(v) || checkbox(facet, v, ticked.includes(v));
    x.count.textContent = num(c[v] || 0);
    x.li.hidden = false;
    g.ul.append(x.li);
    inputs.set(v, x);
  }
  g.inputs = inputs;
  if (focused !== null && inputs.has(focused)) inputs.get(focused).input.focus();
  const available = ticked.length + ranked.length;
  g.fieldset.hidden = available === 0;
  g.toggle.hidden = available <= LONG_SHOWN;
  g.toggle.textContent = open
    ? say("show-fewer")
    : available > LONG_MAX
      ? say("show-top", { count: num(available), top: num(LONG_MAX) })
      : say("show-all", { count: num(available) });
}

// ---------- Results ----------

// One bundle's results as a stream whose data is loaded in batches.
class Stream {
  constructor(bundle, token, results) {
    this.bundle = bundle;
    this.token = token;
    this.results = results;
    this.data = [];
    this.pos = 0;
  }
  done() {
    return this.pos >= this.results.length;
  }
  // The data of the next k results.
  async take(k) {
    const ids = this.results.slice(this.pos, this.pos + k).map((r) => r.id);
    this.pos += ids.length;
    if (!ids.length) return [];
    return this.bundle.call("data", { ids, token: this.token });
  }
  async head() {
    if (this.pos >= this.data.length) {
      const ids = this.results.slice(this.data.length, this.data.length + PAGE).map((r) => r.id);
      const loaded = await this.bundle.call("data", { ids, token: this.token });
      this.data.push(...loaded);
    }
    return this.data[this.pos];
  }
}

let search = null; // {token, streams, byDate, total}
let token = 0;

async function nextResults(s, n) {
  if (!s.byDate) {
    // By score: pick the next n across the bundles first, then load just their data.
    const picks = s.streams.map(() => 0);
    const at = s.streams.map((x) => x.pos);
    const order = [];
    for (let k = 0; k < n; k++) {
      let best = -1;
      for (let i = 0; i < s.streams.length; i++) {
        const r = s.streams[i].results[at[i]];
        if (r && (best < 0 || r.score > s.streams[best].results[at[best]].score)) best = i;
      }
      if (best < 0) break;
      order.push([best, picks[best]++]);
      at[best]++;
    }
    const data = await Promise.all(s.streams.map((x, i) => x.take(picks[i])));
    return order.map(([i, j]) => data[i][j]);
  }
  // By date (no query): merge on the dates in the results' data, loaded in batches.
  const out = [];
  while (out.length < n) {
    const live = s.streams.filter((x) => !x.done());
    if (!live.length) break;
    let best = live[0];
    if (live.length > 1) {
      const heads = await Promise.all(live.map((x) => x.head()));
      let bi = 0;
      for (let i = 1; i < live.length; i++) {
        if ((heads[i].meta.date || "") > (heads[bi].meta.date || "")) bi = i;
      }
      best = live[bi];
    }
    out.push(await best.head());
    best.pos++;
  }
  return out;
}

function safeExcerpt(html) {
  // The indexed text is HTML-escaped at build time; only Pagefind's <mark> tags are markup.
  return (html || "").replace(/<(?!\/?mark>)/g, "&lt;");
}

function renderResult(d) {
  const li = document.createElement("li");
  li.className = "result";
  const h = document.createElement("h2");
  h.className = "result-title";
  const a = document.createElement("a");
  a.href = d.url;
  a.textContent = d.meta.title || d.url;
  h.append(a);
  li.append(h);
  const bits = [d.meta.authors, d.meta.year, d.meta.periods, d.meta.spheres].filter(Boolean);
  if (bits.length) {
    const meta = document.createElement("p");
    meta.className = "result-meta";
    meta.textContent = bits.join(" · ");
    li.append(meta);
  }
  if (d.excerpt) {
    const p = document.createElement("p");
    p.className = "result-excerpt";
    p.innerHTML = safeExcerpt(d.excerpt);
    li.append(p);
  }
  return li;
}

function describe(state, total) {
  const parts = [];
  for (const [facet, title] of FACETS) {
    const v = state.selected[facet];
    if (v && v.length) {
      const values = v.map((x) => label(facet, x)).join(say("or"));
      parts.push(say("filter", { facet: title.toLocaleLowerCase(LANG), values }));
    }
  }
  const found = works(total);
  const filters = parts.join(", ");
  if (state.q && parts.length) return say("status-query-filters", { found, query: state.q, filters });
  if (state.q) return say("status-query", { found, query: state.q });
  if (parts.length) return say("status-filters", { found, filters });
  return say("status", { found });
}

async function run(state, { push = false } = {}) {
  const mine = ++token;
  const url = urlOf(state);
  if (url !== location.pathname + location.search) {
    history[push ? "pushState" : "replaceState"](null, "", url);
  }
  const filters = {};
  for (const [facet, values] of Object.entries(state.selected)) filters[facet] = { any: values };
  const hasFilters = Object.keys(filters).length > 0;
  const idle = !state.q && !hasFilters;
  // Nothing asked, or nothing to search in (an archive without works has no index).
  if (idle || !bundles.length) {
    search = null;
    list.textContent = "";
    more.hidden = true;
    status.textContent = bundles.length ? "" : say("empty");
    showCounts(totals);
    form.dataset.state = idle ? "idle" : "done";
    return;
  }
  form.dataset.state = "searching";
  const started = performance.now();
  const sort = state.q ? null : { date: "desc" };
  let answers;
  try {
    answers = await Promise.all(
      bundles.map(async (b) => {
        await b.ready;
        return b.call("search", { q: state.q, filters, sort, token: mine });
      }),
    );
  } catch (e) {
    if (mine === token) {
      status.textContent = say("failed", { error: e.message });
      form.dataset.state = "error";
    }
    return;
  }
  if (mine !== token) return;
  const tSearch = performance.now() - started;
  const streams = answers.map((a, i) => new Stream(bundles[i], mine, a.results));
  const total = answers.reduce((n, a) => n + a.results.length, 0);
  search = { token: mine, streams, byDate: !state.q, total, shown: 0 };
  const first = await nextResults(search, PAGE);
  if (mine !== token) return;
  const tData = performance.now() - started;
  list.textContent = "";
  for (const d of first) list.append(renderResult(d));
  search.shown = first.length;
  more.hidden = search.shown >= total;
  status.textContent = describe(state, total);
  form.dataset.state = "done";
  // For bench/search.py: from the keystroke (or the start of this search) to results on screen.
  const shown = performance.now();
  window.dyadSearchTiming = {
    query: state.q,
    total,
    ms: shown - Math.max(0, Math.min(issuedAt || started, started)),
    search: tSearch,
    data: tData - tSearch,
  };
  // Counting takes more work than finding: it waits until the user pauses, so that it
  // never slows the next search while they type.
  await new Promise((resolve) => setTimeout(resolve, COUNT_DELAY_MS));
  if (mine === token) await count(state, mine);
}

// Counts the results of `state` by filter value (once the counting workers are ready).
async function count(state, mine) {
  if (!counters) return;
  const filters = {};
  for (const [facet, values] of Object.entries(state.selected)) filters[facet] = { any: values };
  try {
    const counted = await Promise.all(
      counters.map(async (b) => {
        await b.ready;
        return b.call("search", { q: state.q, filters, sort: null, token: mine, countOnly: true });
      }),
    );
    if (mine === token) showCounts(mergeCounts(counted.map((a) => a.filters)));
  } catch (_) {
    // Counts are an extra: the results stand without them.
  }
}

more.addEventListener("click", async () => {
  if (!search) return;
  const s = search;
  const next = await nextResults(s, PAGE * 2);
  if (s !== search) return;
  const firstNew = list.children.length;
  for (const d of next) list.append(renderResult(d));
  s.shown += next.length;
  more.hidden = s.shown >= s.total;
  // Keyboard users continue from the first new result.
  const link = list.children[firstNew] && list.children[firstNew].querySelector("a");
  if (link) link.focus();
});

// ---------- Wiring ----------

let timer = 0;
// When the current query was issued (the keystroke), for bench/search.py.
let issuedAt = 0;
box.addEventListener("input", () => {
  issuedAt = performance.now();
  clearTimeout(timer);
  const q = box.value.trim();
  if (q) for (const b of bundles) b.ready.then(() => b.call("preload", { q })).catch(() => {});
  timer = setTimeout(() => run(currentState()), DEBOUNCE_MS);
});
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  run(currentState(), { push: true });
});
filtersEl.addEventListener("change", () => {
  clearTimeout(timer);
  run(currentState());
});
addEventListener("popstate", () => {
  const state = stateFromUrl();
  box.value = state.q;
  if (groups.size) buildFilters(totals, state.selected);
  else pendingSelected = state.selected;
  run(state);
});

let totals = {};
(async () => {
  const initial = stateFromUrl();
  box.value = initial.q;
  status.textContent = say("loading");
  try {
    await Promise.all(bundles.map((b) => b.ready));
  } catch (e) {
    status.textContent = say("load-failed", { error: e.message });
    form.dataset.state = "error";
    return;
  }
  status.textContent = bundles.length ? "" : say("empty");
  form.dataset.state = "ready";
  // The filters' values and counts load beside the first search, which does not wait
  // for them.
  pendingSelected = initial.selected;
  // What the box holds now: the URL's query, or what was typed while the index loaded.
  const state = currentState();
  await run(state);
  counters = config.bundles.map((urls) => new Bundle(urls, true));
  try {
    totals = mergeCounts(await Promise.all(counters.map((b) => b.ready)));
  } catch (_) {
    return; // No filters, but search works.
  }
  buildFilters(totals, currentState().selected);
  if (search) await count(currentState(), token);
  else showCounts(totals);
  form.dataset.filters = "ready";
  if (!state.q && !Object.keys(state.selected).length && document.activeElement === document.body) {
    box.focus();
  }
})();
