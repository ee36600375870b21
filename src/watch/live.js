// dyad watch: live reload and the error overlay. Served at /__dyad/live.js by `dyad watch`
// only; never part of a built site.
(() => {
  "use strict";
  const here = () => {
    let p = location.pathname;
    try { p = decodeURIComponent(p); } catch (_) { /* keep it encoded */ }
    return p.endsWith("/index.html") ? p.slice(0, -"index.html".length) : p;
  };
  const scrollKey = "dyad-scroll:" + location.pathname;

  // Put the page back where the reader was before the reload.
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(",").map(Number);
    const restore = () => window.scrollTo(x, y);
    restore();
    addEventListener("load", restore);
  }

  const reload = () => {
    sessionStorage.setItem(scrollKey, `${Math.round(scrollX)},${Math.round(scrollY)}`);
    location.reload();
  };

  const swapCss = () => {
    for (const old of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(old.href);
      url.searchParams.set("dyad-live", String(Date.now()));
      const fresh = old.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => old.remove());
      fresh.addEventListener("error", () => old.remove());
      old.after(fresh);
    }
  };

  const OVERLAY = "dyad-error-overlay";
  const hideOverlay = () => document.getElementById(OVERLAY)?.remove();
  const showOverlay = (diagnostics, errorCount, warningCount) => {
    hideOverlay();
    const box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,24,.94);color:#f4f4f5;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    const h = document.createElement("h2");
    h.style.cssText = "margin:0 0 1rem;font:600 18px/1.3 system-ui,sans-serif;color:#fca5a5";
    const errors = errorCount ?? diagnostics.filter((d) => d.severity === "error").length;
    h.textContent = `dyad: the archive has ${errors} error${errors === 1 ? "" : "s"}; showing the last good site underneath`;
    box.append(h);
    for (const d of diagnostics) {
      const item = document.createElement("section");
      item.className = "dyad-diagnostic";
      item.style.cssText = "margin:0 0 1.25rem;padding:0.75rem 1rem;border-left:4px solid " +
        (d.severity === "error" ? "#f87171" : "#fbbf24") + ";background:rgba(255,255,255,.05)";
      const where = document.createElement("div");
      where.className = "dyad-where";
      where.style.cssText = "color:#93c5fd";
      where.textContent = d.path + (d.line ? `:${d.line}:${d.column}` : "");
      const msg = document.createElement("div");
      msg.className = "dyad-message";
      msg.textContent = `${d.severity}: ${d.message}`;
      item.append(where, msg);
      if (d.source_line != null) {
        const pre = document.createElement("pre");
        pre.style.cssText = "margin:.5rem 0 0;white-space:pre-wrap;color:#e4e4e7";
        const col = d.source_column ?? d.column;
        const caret = col ? " ".repeat(Math.max(0, col - 1)) + "^" : "";
        pre.textContent = `${String(d.line).padStart(4)} | ${d.source_line}\n     | ${caret}`;
        item.append(pre);
      }
      if (d.help) {
        const help = document.createElement("div");
        help.style.cssText = "margin-top:.4rem;color:#a7f3d0";
        help.textContent = `help: ${d.help}`;
        item.append(help);
      }
      box.append(item);
    }
    const all = (errorCount ?? 0) + (warningCount ?? 0);
    if (all > diagnostics.length) {
      const more = document.createElement("p");
      more.className = "dyad-more";
      more.textContent = `… and ${all - diagnostics.length} more: the terminal running dyad watch lists them all`;
      box.append(more);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide (fix the file to clear it)";
    close.style.cssText = "font:inherit;padding:.3rem .8rem;cursor:pointer";
    close.addEventListener("click", hideOverlay);
    box.append(close);
    (document.body || document.documentElement).append(box);
  };

  let seenBuild = null;
  let broken = false;
  const handle = (ev) => {
    switch (ev.type) {
      case "hello":
        // A reconnect after a rebuild this page missed: fetch the page again.
        if (seenBuild !== null && ev.build !== seenBuild) reload();
        seenBuild = ev.build;
        if (broken) { broken = false; hideOverlay(); }
        break;
      case "errors":
        broken = true;
        seenBuild = ev.build;
        showOverlay(ev.diagnostics, ev.errors, ev.warnings);
        break;
      case "css":
        seenBuild = ev.build;
        if (broken) { broken = false; hideOverlay(); }
        swapCss();
        break;
      case "reload": {
        seenBuild = ev.build;
        const wasBroken = broken;
        broken = false;
        hideOverlay();
        if (ev.all || wasBroken || (ev.paths || []).includes(here())) reload();
        break;
      }
    }
  };

  const source = new EventSource("/__dyad/events");
  source.onmessage = (m) => {
    try { handle(JSON.parse(m.data)); } catch (e) { console.error("dyad live reload:", e); }
  };
  window.__dyadLive = { handle };
})();
