// Builds the DOM of one target card from the API's JSON. Every value becomes a text node: nothing
// read from the API ever reaches innerHTML, so object names, commit messages and diff values cannot
// inject markup.
"use strict";

const TidemarkView = (() => {
  const DRIFT_ORDER = ["CREATE", "UPDATE", "ADOPT", "DELETE", "CONFLICT"];
  const SECRET_MASK = /^<secret sha256:[0-9a-f]+>$/;
  const FILE_LINE = /^(\S+?):(\d+): ([\s\S]*)$/;
  const PHASE = /^(git|cluster): ([\s\S]*)$/;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "on") {
        for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
      } else {
        node.setAttribute(name, String(value));
      }
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** An enum constant as a reader says it: IN_SYNC -> "in sync". */
  function words(constant) {
    return String(constant || "").toLowerCase().replace(/_/g, " ");
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  /** Local time; the date too when it is not today. */
  function clock(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    const time = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    if (d.toDateString() === new Date().toDateString()) return time;
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + time;
  }

  function ago(iso, now) {
    const seconds = Math.max(0, Math.round(((now || Date.now()) - new Date(iso).getTime()) / 1000));
    if (seconds < 5) return "just now";
    if (seconds < 90) return seconds + " s ago";
    if (seconds < 90 * 60) return Math.round(seconds / 60) + " min ago";
    if (seconds < 36 * 3600) return Math.round(seconds / 3600) + " h ago";
    return Math.round(seconds / 86400) + " d ago";
  }

  /** A relative time that the refresh loop keeps current; the exact time is its tooltip. */
  function since(iso) {
    return el("time", { "data-ts": iso, datetime: iso, title: new Date(iso).toString() }, ago(iso));
  }

  function took(ms) {
    return ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
  }

  /** What started a run: "webhook · github"; compact, just "github" for a webhook. */
  function trigger(t, compact) {
    if (!t) return "";
    const source = words(t.source);
    const full = t.provider ? source + " · " + t.provider : source;
    return el("span", { title: full + (t.deliveryId ? ", delivery " + t.deliveryId : "") },
      compact && t.provider ? t.provider : full);
  }

  function badge(kind, constant) {
    return el("span", { class: "badge " + kind + "-" + constant }, words(constant));
  }

  /** Drift counts of a summary, in plan order; "no drift" when there is none. */
  function counts(summary) {
    const parts = DRIFT_ORDER.filter(type => (summary || {})[type] > 0)
      .map(type => el("span", { class: "n c-" + type }, summary[type] + " " + words(type)));
    return parts.length ? parts : [el("span", { class: "muted" }, "no drift")];
  }

  const SIGN = { CREATE: "+", UPDATE: "~", ADOPT: "⇲", DELETE: "−", CONFLICT: "!" };

  /** The same counts in plan notation (+ create, ~ update, − delete, ! conflict) for narrow places. */
  function signs(summary) {
    const types = DRIFT_ORDER.filter(type => (summary || {})[type] > 0);
    if (!types.length) return [el("span", { class: "muted" }, "no drift")];
    return el("span", { title: types.map(type => summary[type] + " " + words(type)).join(", ") },
      types.map(type => el("span", { class: "n c-" + type }, SIGN[type] + summary[type])));
  }

  /** One side of a field difference: absent, a masked secret, or the value. */
  function value(v, side) {
    if (v === null || v === undefined) return el("span", { class: "absent" }, "absent");
    if (typeof v === "string" && SECRET_MASK.test(v)) {
      return el(side, { class: "secret", title: "secret value, shown by content hash" }, v);
    }
    const plain = typeof v === "string" && v !== "" && !/^(-?\d|true$|false$|null$|[[{"])/.test(v);
    if (plain) return el(side, {}, v);
    const inline = JSON.stringify(v);
    // A long list or map reads better one entry per line.
    return el(side, {}, inline.length > 60 && typeof v === "object" ? JSON.stringify(v, null, 1) : inline);
  }

  /** A field path that may wrap after each dot rather than inside a name. */
  function fieldPath(path) {
    return String(path).split(".").map((part, i) => i === 0 ? [part] : [el("wbr"), "." + part]);
  }

  function diffTable(diffs) {
    return el("table", { class: "diff" },
      el("colgroup", {}, el("col", { class: "c-path" }), el("col"), el("col")),
      el("thead", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "live (cluster)"),
        el("th", {}, "desired (Git)"))),
      el("tbody", {}, diffs.map(d => el("tr", {},
        el("td", { class: "path" }, fieldPath(d.path),
          d.changedBy ? [el("br"), el("small", { class: "by" }, "changed by " + d.changedBy)] : []),
        el("td", { class: "live" }, value(d.live, "del")),
        el("td", { class: "desired" }, value(d.desired, "ins"))))));
  }

  const WHY = {
    CREATE: "Desired in Git, missing in the cluster.",
    DELETE: "Owned by this target, no longer in Git.",
    CONFLICT: "A live object of this name is not owned by Tidemark; it is never touched.",
    ADOPT: "Not owned by Tidemark yet; this target adopts it (ownership labels only).",
  };

  function objectBlock(o) {
    const failed = o.outcome === "FAILED";
    return el("div", { class: "obj", "data-key": o.key },
      el("div", { class: "obj-head" },
        badge("c", o.change),
        el("code", { class: "key" }, o.key),
        o.source ? el("span", { class: "src" }, o.source) : null,
        el("span", { class: "grow" }),
        o.outcome ? badge("o", o.outcome) : null,
        o.health ? el("span", { class: "badge h-" + o.health, title: o.healthMessage || null },
          words(o.health)) : null),
      o.diffs.length ? diffTable(o.diffs) : el("p", { class: "why" }, WHY[o.change] || ""),
      o.owner ? el("p", { class: "muted small" }, "owned now by " + o.owner) : null,
      o.hint ? el("p", { class: "muted small" }, o.hint) : null,
      (o.ignored || []).length ? el("p", { class: "muted small" }, "ignored: " + o.ignored.join("; ")) : null,
      failed && o.message ? el("p", { class: "fail" }, o.message) : null,
      !failed && o.healthMessage && o.health !== "HEALTHY"
        ? el("p", { class: "muted small" }, o.healthMessage) : null);
  }

  /** Errors of a run; file:line of an invalid revision set apart so it is found at a glance. */
  function errorList(errors) {
    return el("ul", { class: "errors" }, errors.map(text => {
      const at = FILE_LINE.exec(text);
      if (at) return el("li", {}, el("code", { class: "at" }, at[1] + ":" + at[2]), " ", at[3]);
      const phase = PHASE.exec(text);
      if (phase) return el("li", {}, el("span", { class: "at" }, phase[1]), " ", phase[2]);
      return el("li", {}, text);
    }));
  }

  function revision(rev) {
    if (!rev) return el("span", { class: "rev muted" }, "no revision yet");
    const first = (rev.message || "").split("\n")[0];
    const when = rev.time ? "\ncommitted " + new Date(rev.time).toString() : "";
    return el("span", { class: "rev", title: rev.commit + when + "\n\n" + (rev.message || "") },
      el("code", {}, rev.commit.substring(0, 12)), " ", el("span", { class: "msg" }, first),
      rev.author ? el("span", { class: "muted" }, " — " + rev.author) : null);
  }

  return { el, words, clock, ago, since, took, trigger, badge, counts, signs, objectBlock,
    errorList, revision };
})();
