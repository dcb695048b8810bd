// The Tidemark page: every target with its state, newest report and history, refreshed every five
// seconds. A card is rebuilt only when its data changed, so the open run, the scroll position and
// keyboard focus survive a refresh.
"use strict";

(() => {
  const { el, words, clock, ago, since, took, trigger, badge, counts, signs, objectBlock,
    errorList, revision } = TidemarkView;
  const REFRESH_MS = 5000;
  const HISTORY = 20;
  const STATES = ["FAILED", "DRIFTED", "APPLYING", "IN_SYNC", "SUSPENDED", "UNKNOWN"];

  const targets = new Map(); // name -> { view, latest, runs, loadedFor, signature, card }
  const selected = new Map(); // name -> id of the history run the reader opened
  const reports = new Map(); // "name/id" -> report; a finished run never changes
  const expanded = new Set(); // names whose in-sync list is open
  const unfolded = new Set(); // names whose whole drift list is shown
  const FOLD = 8; // drifted objects shown before "show all"

  function api(name, rest) {
    return "api/targets/" + encodeURIComponent(name) + (rest || "");
  }

  // With tidemark.api.protect-reads the API asks for a bearer token: the page asks the reader once
  // and keeps it in sessionStorage, so it lasts as long as the browser tab and no longer.
  const TOKEN_KEY = "tidemark.token";

  class Unauthorized extends Error {}

  async function json(url) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = token ? { Authorization: "Bearer " + token } : {};
    const res = await fetch(url, { cache: "no-store", headers });
    if (res.status === 401) throw new Unauthorized(url + " answered 401");
    if (!res.ok) throw new Error(url + " answered " + res.status);
    return res.json();
  }

  /** The token form, shown instead of the targets until a token that reads is given. */
  function askForToken(rejected) {
    // The form stays as it is while the reader types; a refused token redraws it with the reason.
    if (document.getElementById("login") && !rejected) return;
    const input = el("input", { type: "password", id: "token", autocomplete: "off",
      "aria-label": "API token or read token", placeholder: "API token or read token" });
    const form = el("form", { id: "login", class: "login", on: { submit: event => {
      event.preventDefault();
      if (!input.value) return;
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      refresh();
    } } },
      el("p", {}, rejected ? "That token was not accepted. " : "",
        "Reads are protected on this Tidemark: enter the API token or the read token. ",
        "It is kept for this browser tab only."),
      input, el("button", { type: "submit" }, "Show targets"));
    document.getElementById("targets").replaceChildren(form);
    input.focus();
  }

  /** Loads what changed: the history only when a new run finished, an opened run only once. */
  async function load(view) {
    const entry = targets.get(view.name) || { name: view.name };
    entry.view = view;
    targets.set(view.name, entry);
    try {
      if (view.lastRunId && entry.loadedFor !== view.lastRunId) {
        const [latest, runs] = await Promise.all([
          json(api(view.name, "/drift")), json(api(view.name, "/runs?limit=" + HISTORY))]);
        Object.assign(entry, { latest, runs, loadedFor: view.lastRunId, loadError: null });
      }
    } catch (e) {
      entry.loadError = String(e.message || e);
    }
    const id = selected.get(view.name);
    if (id && !reports.has(view.name + "/" + id)) {
      try {
        reports.set(view.name + "/" + id, await json(api(view.name, "/runs/" + encodeURIComponent(id))));
      } catch (e) {
        // A run that is gone (history is bounded) or never was: show the newest instead.
        selected.delete(view.name);
        history.replaceState(null, "", location.pathname);
      }
    }
  }

  function shown(entry) {
    const id = selected.get(entry.name);
    return id ? reports.get(entry.name + "/" + id) || null : entry.latest || null;
  }

  function open(name, id) {
    const entry = targets.get(name);
    if (!id || (entry.runs && entry.runs[0] && entry.runs[0].id === id)) selected.delete(name);
    else selected.set(name, id);
    // The address names the open run, so a reload or a shared link opens it again.
    const link = selected.has(name)
      ? "#" + new URLSearchParams({ target: name, run: selected.get(name) }) : location.pathname;
    history.replaceState(null, "", link);
    load(entry.view).then(() => draw(entry, true));
  }

  /** A run named in the address (#target=NAME&run=ID) opens at load. */
  function linked() {
    const params = new URLSearchParams(location.hash.substring(1));
    if (params.get("target") && params.get("run")) {
      selected.set(params.get("target"), params.get("run"));
      return params.get("target");
    }
    return null;
  }

  function head(t) {
    return el("header", { class: "thead" },
      el("span", { class: "badge state s-" + t.state }, words(t.state)),
      t.health ? el("span", { class: "badge health h-" + t.health.status,
        title: "health: " + (t.health.summary || words(t.health.status)) }, words(t.health.status)) : null,
      el("h2", {}, t.name),
      el("span", { class: "pill" }, words(t.mode) + (t.mode === "APPLY" && t.prune ? " · prune" : "")),
      el("span", { class: "muted" }, [t.kind, t.repository, t.path].filter(Boolean).join(" · ")),
      t.reachability === "UNREACHABLE" ? el("span", { class: "badge state s-FAILED" }, "cluster unreachable") : null,
      revision(t.revision),
      t.revision && t.revision.time ? el("span", { class: "muted" }, "committed ", since(t.revision.time)) : null,
      el("span", { class: "grow" }),
      t.running ? el("span", { class: "busy" }, "reconciling…") : null,
      t.lastRunAt ? el("span", { class: "muted" }, "last run ", since(t.lastRunAt)) : null);
  }

  /** Sync and health side by side, as "in sync · degraded: web: 0 of 3 tasks running". */
  function healthLine(t) {
    if (!t.health || t.health.status === "HEALTHY" || !t.health.summary) return null;
    return el("p", { class: "health-line h-" + t.health.status },
      words(t.state) + " · " + words(t.health.status) + ": " + t.health.summary);
  }

  function reportSection(entry) {
    const t = entry.view;
    const r = shown(entry);
    const isOld = selected.has(t.name);
    const section = el("section", { class: "report" });
    if (t.mode === "SUSPEND" && t.kind) {
      section.append(el("p", { class: "note" }, "Suspended: nothing runs for this target; its last state stays shown."));
    }
    if (!r) {
      section.append(el("h3", {}, t.lastRunId ? "Loading…" : "No run yet"));
      if (t.errors && t.errors.length) section.append(errorList(t.errors));
      return section;
    }
    section.append(el("h3", {},
      isOld ? "Run at " + clock(r.startedAt) : "Latest run",
      el("span", { class: "sub" }, badge("r", r.result), " ", trigger(r.trigger), " · ",
        clock(r.startedAt), " · took ", took(r.durationMillis),
        r.revision ? el("span", {}, " · ", el("code", {}, r.revision.commit.substring(0, 12))) : null),
      isOld ? el("button", { type: "button", on: { click: () => open(t.name, null) } },
        "back to latest") : null));
    if (r.note) section.append(el("p", { class: "note" }, r.note));
    if (r.errors.length) section.append(errorList(r.errors));
    const drifted = r.objects.filter(o => o.change !== "IN_SYNC");
    const inSync = r.objects.filter(o => o.change === "IN_SYNC");
    if (drifted.length) {
      const all = unfolded.has(t.name) || drifted.length <= FOLD + 1;
      section.append(el("div", { class: "objects" }, (all ? drifted : drifted.slice(0, FOLD)).map(objectBlock)));
      if (!all) {
        section.append(el("button", { type: "button", class: "more",
          on: { click: () => { unfolded.add(t.name); draw(entry, true); } } },
          "show all " + drifted.length + " drifted objects"));
      }
    } else if (r.objects.length) {
      section.append(el("p", { class: "ok" }, "No drift: every object matches Git."));
    }
    if (inSync.length) {
      const details = el("details", { class: "insync", open: expanded.has(t.name) ? "" : null,
        on: { toggle: e => e.target.open ? expanded.add(t.name) : expanded.delete(t.name) } },
        el("summary", {}, inSync.length + " in sync"),
        el("ul", {}, inSync.map(o => el("li", {}, el("code", {}, o.key)))));
      section.append(details);
    }
    return section;
  }

  function historySection(entry) {
    const runs = entry.runs || [];
    const current = selected.get(entry.name) || (runs[0] && runs[0].id);
    const rows = runs.map(r => el("tr", {
      class: r.id === current ? "run current" : "run", tabindex: 0, "data-run": r.id,
      title: "show this run's objects",
      on: {
        click: () => open(entry.name, r.id),
        keydown: e => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), open(entry.name, r.id)),
      } },
      el("td", { class: "num" }, clock(r.startedAt)),
      el("td", { class: "cut" }, trigger(r.trigger, true)),
      el("td", {}, r.revision ? el("code", { class: "muted", title: r.revision.message }, r.revision.commit.substring(0, 7)) : ""),
      el("td", {}, badge("r", r.result)),
      el("td", { class: "counts" }, signs(r.summary)),
      el("td", { class: "num muted" }, took(r.durationMillis))));
    return el("aside", { class: "history" },
      el("h3", {}, "History", el("span", { class: "sub" },
        runs.length > 1 ? "last " + runs.length + " runs, click one to open it" : "")),
      rows.length ? el("table", {},
        el("colgroup", {}, ["time", "trigger", "commit", "result", "counts", "took"].map(c => el("col", { class: "h-" + c }))),
        el("tbody", {}, rows)) : el("p", { class: "muted" }, "No runs yet."));
  }

  function draw(entry, force) {
    const signature = JSON.stringify([entry.view, entry.loadedFor, entry.loadError,
      selected.get(entry.name) || null, reports.has(entry.name + "/" + selected.get(entry.name))]);
    if (!force && entry.card && entry.signature === signature) return entry.card;
    const card = el("article", { class: "target s-" + entry.view.state, id: "target-" + entry.name },
      head(entry.view),
      healthLine(entry.view),
      entry.loadError ? el("p", { class: "fail pad" }, "Cannot load this target's runs: " + entry.loadError) : null,
      el("div", { class: "tbody" }, reportSection(entry), historySection(entry)));
    // Keep keyboard focus on the same history row across a rebuild.
    const focused = document.activeElement && entry.card && entry.card.contains(document.activeElement)
      ? document.activeElement.getAttribute("data-run") : null;
    if (entry.card && entry.card.isConnected) entry.card.replaceWith(card);
    entry.card = card;
    entry.signature = signature;
    if (focused) {
      const again = card.querySelector('[data-run="' + CSS.escape(focused) + '"]');
      if (again) again.focus({ preventScroll: true });
    }
    return card;
  }

  function overview(views) {
    document.getElementById("overview").replaceChildren(
      ...STATES.map(s => [s, views.filter(v => v.state === s).length])
        .filter(([, n]) => n > 0)
        .map(([s, n]) => el("span", { class: "badge state s-" + s }, n + " " + words(s))));
    // With several targets, one line each at the top: state, name and drift, worst first.
    const order = v => STATES.indexOf(v.state);
    const tiles = views.length < 2 ? [] : [...views].sort((a, b) => order(a) - order(b)).map(v =>
      el("button", { type: "button", class: "tile s-" + v.state, title: "go to " + v.name,
        on: { click: () => targets.get(v.name).card.scrollIntoView({ block: "start" }) } },
        el("span", { class: "dot" }), el("b", {}, v.name), " ",
        v.state === "DRIFTED" || v.state === "APPLYING" ? counts(v.summary)
          : el("span", { class: "muted" }, words(v.state))));
    const glance = document.getElementById("glance");
    glance.replaceChildren(...tiles);
    glance.hidden = tiles.length === 0;
  }

  async function refresh() {
    const stamp = document.getElementById("updated");
    let views;
    try {
      views = await json("api/targets");
    } catch (e) {
      if (e instanceof Unauthorized) {
        const rejected = sessionStorage.getItem(TOKEN_KEY) !== null;
        sessionStorage.removeItem(TOKEN_KEY);
        stamp.textContent = "a token is needed to read";
        stamp.className = "stamp fail";
        askForToken(rejected);
        return;
      }
      stamp.textContent = "cannot reach Tidemark, retrying (" + (e.message || e) + ")";
      stamp.className = "stamp fail";
      return;
    }
    await Promise.all(views.map(load));
    const main = document.getElementById("targets");
    const cards = views.map(v => draw(targets.get(v.name)));
    for (const name of [...targets.keys()]) {
      if (!views.some(v => v.name === name)) targets.delete(name);
    }
    // Append in order; nodes already in place are not moved, so nothing jumps.
    if (cards.length === 0) {
      main.replaceChildren(el("p", { class: "muted" }, "No targets configured."));
    } else if (cards.some((c, i) => main.children[i] !== c) || main.children.length !== cards.length) {
      main.replaceChildren(...cards);
    }
    overview(views);
    document.querySelectorAll("time[data-ts]").forEach(t => { t.textContent = ago(t.dateTime); });
    stamp.textContent = "updated " + clock(new Date().toISOString());
    stamp.className = "stamp";
  }

  async function loop() {
    await refresh();
    setTimeout(loop, REFRESH_MS);
  }

  const opened = linked();
  refresh().then(() => {
    const entry = opened && targets.get(opened);
    if (entry && entry.card) entry.card.scrollIntoView({ block: "start" });
    setTimeout(loop, REFRESH_MS);
  });
})();
