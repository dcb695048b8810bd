// Renders /api/targets and each target's newest drift report; refreshes every 5 seconds.
"use strict";

const REFRESH_MS = 5000;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c ?? ""))));
  return node;
}

function show(value) {
  return value === null || value === undefined ? "(absent)" : JSON.stringify(value);
}

function diffBlock(diffs) {
  return el("div", { class: "diff" }, diffs.map(d =>
    el("div", {}, d.path, "\n", el("span", { class: "del" }, "- live:    " + show(d.live)), "\n",
      el("span", { class: "add" }, "+ desired: " + show(d.desired)))));
}

function objectsTable(report) {
  const drifted = (report.objects || []).filter(o => o.change !== "IN_SYNC");
  if (drifted.length === 0) {
    return el("p", { class: "muted" }, "No drift: every object is as Git wants it.");
  }
  return el("table", {},
    el("tr", {}, el("th", {}, "object"), el("th", {}, "change"), el("th", {}, "differences"), el("th", {}, "apply")),
    drifted.map(o => el("tr", { "data-key": o.key },
      el("td", {}, o.key, el("div", { class: "muted" }, o.source || "")),
      el("td", {}, o.change),
      el("td", {}, diffBlock(o.diffs || [])),
      el("td", {}, o.outcome || "-", o.message ? el("div", { class: "muted" }, o.message) : "",
        o.health ? el("div", { class: "muted" }, o.health + " " + (o.healthMessage || "")) : ""))));
}

async function targetCard(t) {
  const rev = t.revision ? t.revision.commit.substring(0, 12) + " " + t.revision.message : "no revision yet";
  const card = el("article", { class: "target", id: "target-" + t.name },
    el("div", { class: "head" },
      el("h2", {}, t.name),
      el("span", { class: "state " + t.state }, t.state.replace("_", " ").toLowerCase()),
      el("span", { class: "muted" }, t.kind + " · " + t.path + " · " + t.mode.toLowerCase()),
      el("span", { class: "muted" }, rev),
      el("span", { class: "muted" }, t.lastRunAt ? "last run " + new Date(t.lastRunAt).toLocaleString() : "")));
  const body = el("div", { class: "body" });
  if (t.note) body.append(el("p", {}, t.note));
  if (t.errors && t.errors.length) body.append(el("div", { class: "errors" }, t.errors.join("\n")));
  if (t.lastRunId) {
    const res = await fetch("api/targets/" + encodeURIComponent(t.name) + "/drift");
    if (res.ok) body.append(objectsTable(await res.json()));
  }
  card.append(body);
  return card;
}

async function refresh() {
  try {
    const res = await fetch("api/targets");
    const targets = await res.json();
    const cards = await Promise.all(targets.map(targetCard));
    const section = document.getElementById("targets");
    section.replaceChildren(...(cards.length ? cards : [el("p", { class: "muted" }, "No targets configured.")]));
    document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById("updated").textContent = "cannot reach Tidemark: " + e;
  }
}

refresh();
setInterval(refresh, REFRESH_MS);
