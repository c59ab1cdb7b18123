// Glossa annotator: highlights, hotkeys, suggestions, notes, claims, comments.
//
// One ES module, no build. It talks only to the REST API (/api/...), sending
// the CSRF token. Document text is only ever placed in the DOM with
// textContent: nothing from a document is parsed as HTML.
//
// Offsets: the server counts Unicode code points (as Python and spaCy do);
// the DOM counts UTF-16 code units. The conversion happens in one place, the
// Offsets class below: everything else works in UTF-16 units inside the page
// and converts at the API boundary (toCodePoints before sending, toUnits when
// receiving).

import { UndoStack } from "./annotator-undo.js";

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// --- Offsets: code points <-> UTF-16 units (the only conversion) -----------

export class Offsets {
  constructor(text) {
    this.units = text.length;
    this.identity = !/[\uD800-\uDFFF]/.test(text);
    if (this.identity) {
      this.points = text.length;
      return;
    }
    const cpToUnit = [];
    const unitToCp = new Int32Array(text.length + 1);
    let unit = 0;
    let cp = 0;
    while (unit < text.length) {
      cpToUnit.push(unit);
      const code = text.charCodeAt(unit);
      const width = code >= 0xd800 && code <= 0xdbff && unit + 1 < text.length ? 2 : 1;
      unitToCp[unit] = cp;
      if (width === 2) unitToCp[unit + 1] = cp + 1; // inside a pair: round up
      unit += width;
      cp += 1;
    }
    cpToUnit.push(unit);
    unitToCp[unit] = cp;
    this.points = cp;
    this.cpToUnit = Int32Array.from(cpToUnit);
    this.unitToCp = unitToCp;
  }

  toUnits(cp) {
    return this.identity ? cp : this.cpToUnit[Math.max(0, Math.min(cp, this.points))];
  }

  toCodePoints(unit) {
    return this.identity ? unit : this.unitToCp[Math.max(0, Math.min(unit, this.units))];
  }
}

// --- Tokens: snap a selection to whole words (code points) -----------------

export function snapToTokens(tokens, start, end) {
  // tokens: flat [s0, e0, s1, e1, ...] sorted, code points.
  const count = tokens.length / 2;
  if (!count || start >= end) return null;
  // first token whose end > start
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[2 * mid + 1] > start) hi = mid;
    else lo = mid + 1;
  }
  if (lo >= count) return null;
  const first = lo;
  // last token whose start < end
  lo = 0;
  hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[2 * mid] < end) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1;
  if (last < first) return null;
  return [tokens[2 * first], tokens[2 * last + 1]];
}

// --- API -------------------------------------------------------------------

function csrfToken() {
  try {
    const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
  } catch (_) { /* fall through to the cookie */ }
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}.`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, url, body) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (_) {
    throw new ApiError(0, { message: "Could not reach the server. Check your connection; nothing was saved." });
  }
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch (_) { data = null; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

function describeError(error) {
  const fields = error.body && error.body.extra && error.body.extra.fields;
  if (fields) {
    const parts = Object.entries(fields).map(([name, msgs]) =>
      `${name}: ${Array.isArray(msgs) ? msgs.join(" ") : JSON.stringify(msgs)}`);
    return `${error.message} ${parts.join("; ")}`;
  }
  return error.message;
}

// --- The annotator ---------------------------------------------------------

// The EvidenceStatus choices of the legal app (legal/models/claims.py).
const EVIDENCE = [
  ["unknown", "Unknown"], ["provided", "Evidence provided"],
  ["not_provided", "No evidence provided"], ["disputed", "Disputed"],
  ["corroborated", "Independently corroborated"],
];

// The claimant types of the legal app, rendered by the server into the page
// (annotator.html, "claimant-types"): {choices: [[value, label]], default}.
function claimantTypes() {
  const node = document.getElementById("claimant-types");
  return node ? JSON.parse(node.textContent) : { choices: [], default: "" };
}

class Annotator {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.text = data.text;
    this.offsets = new Offsets(this.text);
    this.tokens = data.tokens;
    this.canEdit = data.canEdit;
    this.tags = new Map(data.tags.map((tag) => [tag.key, tag]));
    this.hotkeys = new Map(data.tags.filter((t) => t.hotkey).map((t) => [t.hotkey.toLowerCase(), t.key]));
    this.annotations = new Map();
    for (const a of data.annotations) this.annotations.set(a.id, this.toLocal(a));
    // u0/u1: the words that carry the tag; c0/c1: the sentence around them.
    this.suggestions = data.suggestions.map((s) => ({
      ...s,
      u0: this.offsets.toUnits(s.start),
      u1: this.offsets.toUnits(s.end),
      c0: this.offsets.toUnits(s.context_start ?? s.start),
      c1: this.offsets.toUnits(s.context_end ?? s.end),
    }));
    this.current = 0; // index of the focused suggestion
    this.items = new Map(); // suggestion id -> its <li> (j/k touch two, not all)
    this.undoStack = new UndoStack();
    this.handles = new Map(); // annotation id -> { id } shared by undo entries
    // Layers: which annotations and marks the text shows.
    this.layers = { suggested: true, annotated: true, adjudicated: true, author: "" };
    this.selection = null; // {start, end} in code points, snapped
    this.openId = null;
    // Claim links come from the legal app's API, not the page payload.
    this.claimsByAnnotation = new Map();
    this.claimsReady = this.loadClaims();
    this.textRoot = $("#doc-text");
    this.paragraphs = this.splitParagraphs();
    this.renderAll();
    this.renderSuggestions();
    this.renderLayers();
    this.bind();
  }

  handleFor(id) {
    let handle = this.handles.get(id);
    if (!handle) {
      handle = { id };
      this.handles.set(id, handle);
    }
    return handle;
  }

  rekey(handle, id) {
    this.handles.delete(handle.id);
    handle.id = id;
    this.handles.set(id, handle);
  }

  toLocal(a) {
    // The page payload omits quotes (the text is here); API answers carry them.
    const u0 = this.offsets.toUnits(a.start);
    const u1 = this.offsets.toUnits(a.end);
    return { ...a, quote: a.quote ?? this.text.slice(u0, u1), u0, u1 };
  }

  // ---- Status line --------------------------------------------------------

  status(kind, message) {
    const node = $("#save-state");
    node.dataset.state = kind;
    node.textContent = message;
  }

  async save(label, work) {
    this.status("saving", `Saving ${label}…`);
    try {
      const result = await work();
      this.status("saved", `Saved ${label}`);
      return result;
    } catch (error) {
      if (error.status === 409) {
        this.status("error", "Not saved: someone else changed this first");
      } else {
        this.status("error", `Not saved: ${describeError(error)}`);
      }
      throw error;
    }
  }

  // ---- Text rendering -----------------------------------------------------

  splitParagraphs() {
    const out = [];
    let start = 0;
    const text = this.text;
    while (start <= text.length) {
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      out.push({ start, end });
      start = end + 1;
    }
    return out;
  }

  paragraphIndex(unit) {
    let lo = 0;
    let hi = this.paragraphs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.paragraphs[mid].start <= unit) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  bucket() {
    // Which annotations touch which paragraph: one pass over all annotations.
    const buckets = this.paragraphs.map(() => []);
    for (const a of this.annotations.values()) {
      if (!this.shown(a)) continue;
      const first = this.paragraphIndex(a.u0);
      const last = this.paragraphIndex(Math.max(a.u0, a.u1 - 1));
      for (let i = first; i <= last; i++) buckets[i].push(a);
    }
    return buckets;
  }

  shown(a) {
    // The layer filter: by annotator, and by what the annotation is.
    const layers = this.layers;
    if (layers.author && a.author !== layers.author) return false;
    return a.origin === "adjudication" ? layers.adjudicated : layers.annotated;
  }

  pendingIn(para) {
    // Pending suggestions touching a paragraph (the inline "suggested" layer).
    if (!this.layers.suggested) return [];
    return this.suggestions.filter((s) => s.u0 < para.end && s.u1 > para.start);
  }

  labelOf(a) {
    return a.tag_keys.map((k) => (this.tags.get(k) || { name: k }).name).join(", ") || "Note";
  }

  colourOf(a) {
    const tag = this.tags.get(a.tag_keys[0]);
    return tag ? tag.colour : "#718096";
  }

  renderParagraph(index, items) {
    const para = this.paragraphs[index];
    const node = el("p", { "data-p": index });
    if (para.start === para.end) return null;
    const focus = this.focusRange();
    const around = this.contextRange();
    const cuts = new Set([para.start, para.end]);
    for (const a of items) {
      if (a.u0 > para.start && a.u0 < para.end) cuts.add(a.u0);
      if (a.u1 > para.start && a.u1 < para.end) cuts.add(a.u1);
    }
    // Pending suggestions never split an annotation's highlight (it stays one
    // piece to click); inside one, a suggestion is marked only where it
    // covers the whole piece.
    const pending = this.pendingIn(para);
    const inside = (u) => items.some((a) => a.u0 < u && u < a.u1);
    for (const x of pending) {
      for (const u of [x.u0, x.u1]) if (u > para.start && u < para.end && !inside(u)) cuts.add(u);
    }
    for (const range of [focus, around]) {
      if (!range) continue;
      for (const u of range) if (u > para.start && u < para.end) cuts.add(u);
    }
    const points = [...cuts].sort((x, y) => x - y);
    const firstSeen = new Set();
    for (let i = 0; i < points.length - 1; i++) {
      const s = points[i];
      const e = points[i + 1];
      const span = document.createElement("span");
      span.dataset.s = s;
      span.textContent = this.text.slice(s, e);
      const covering = items.filter((a) => a.u0 <= s && a.u1 >= e);
      if (covering.length) {
        covering.sort((x, y) => (x.u1 - x.u0) - (y.u1 - y.u0) || x.id - y.id);
        span.className = covering.length > 1 ? "hl overlap" : "hl";
        span.dataset.ids = covering.map((a) => a.id).join(",");
        span.style.setProperty("--c1", this.colourOf(covering[0]));
        if (covering.length > 1) span.style.setProperty("--c2", this.colourOf(covering[1]));
        if (covering.some((a) => a.id === this.openId)) span.classList.add("open");
        const top = covering[0];
        if (!firstSeen.has(top.id) && top.u0 === s) {
          firstSeen.add(top.id);
          span.tabIndex = 0;
          span.setAttribute("role", "button");
          const names = top.tag_keys.map((k) => (this.tags.get(k) || { name: k }).name).join(", ");
          span.setAttribute("aria-label", `Annotation: ${names}${covering.length > 1 ? ` (${covering.length} overlapping)` : ""}. Press Enter to open.`);
        }
        // The tag's name where each annotation starts: not colour alone (WCAG 1.4.1).
        const starting = covering.filter((a) => a.u0 === s);
        if (starting.length) span.dataset.label = starting.map((a) => this.labelOf(a)).join(" + ");
      }
      const suggested = pending.filter((x) => x.u0 <= s && x.u1 >= e);
      if (suggested.length) {
        span.classList.add("sg-pending");
        span.dataset.sg = suggested.map((x) => x.id).join(",");
      }
      if (focus && s >= focus[0] && e <= focus[1]) span.classList.add("sg-focus");
      else if (around && s >= around[0] && e <= around[1]) span.classList.add("sg-context");
      node.append(span);
    }
    return node;
  }

  renderAll() {
    const buckets = this.bucket();
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < this.paragraphs.length; i++) {
      const node = this.renderParagraph(i, buckets[i]);
      if (node) fragment.append(node);
    }
    this.textRoot.replaceChildren(fragment);
    $("#annotation-count").textContent = this.annotations.size;
    this.root.dataset.ready = "true";
    this.root.dataset.readyMs = String(Math.round(performance.now()));
  }

  rerender(u0, u1) {
    // Re-render only the paragraphs a change touches.
    const first = this.paragraphIndex(u0);
    const last = this.paragraphIndex(Math.max(u0, u1 - 1));
    for (let i = first; i <= last; i++) {
      const para = this.paragraphs[i];
      const items = [];
      for (const a of this.annotations.values()) {
        if (a.u0 < para.end && a.u1 > para.start && this.shown(a)) items.push(a);
      }
      const fresh = this.renderParagraph(i, items);
      const old = this.textRoot.querySelector(`p[data-p="${i}"]`);
      if (old && fresh) old.replaceWith(fresh);
    }
    $("#annotation-count").textContent = this.annotations.size;
  }

  // ---- Selection ------------------------------------------------------------

  unitAt(node, offset) {
    // Map a DOM position inside #doc-text to a UTF-16 offset into the text.
    if (node.nodeType === Node.TEXT_NODE) {
      const span = node.parentElement.closest("span[data-s]");
      return span ? Number(span.dataset.s) + offset : null;
    }
    const element = node;
    if (element.matches && element.matches("span[data-s]")) {
      return offset === 0 ? Number(element.dataset.s) : Number(element.dataset.s) + element.textContent.length;
    }
    if (element.matches && element.matches("p[data-p]")) {
      const para = this.paragraphs[Number(element.dataset.p)];
      const child = element.children[offset];
      return child ? Number(child.dataset.s) : para.end;
    }
    if (element === this.textRoot) {
      const child = this.textRoot.children[offset];
      if (child) return this.paragraphs[Number(child.dataset.p)].start;
      return this.text.length;
    }
    return null;
  }

  readSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!this.textRoot.contains(range.startContainer) || !this.textRoot.contains(range.endContainer)) return null;
    const u0 = this.unitAt(range.startContainer, range.startOffset);
    const u1 = this.unitAt(range.endContainer, range.endOffset);
    if (u0 === null || u1 === null || u0 >= u1) return null;
    const snapped = snapToTokens(this.tokens, this.offsets.toCodePoints(u0), this.offsets.toCodePoints(u1));
    if (!snapped) return null;
    return { start: snapped[0], end: snapped[1] };
  }

  onSelectionChange() {
    if (!this.canEdit) return;
    this.selection = this.readSelection();
    const hint = $("#palette-hint");
    for (const button of this.root.querySelectorAll(".tag-button")) button.disabled = !this.selection;
    if (hint) {
      if (this.selection) {
        const quote = this.quoteOf(this.selection.start, this.selection.end);
        hint.textContent = `Selected: “${quote.length > 80 ? quote.slice(0, 77) + "…" : quote}”`;
      } else {
        hint.textContent = "Select words in the text, then press a key or click a tag.";
      }
    }
  }

  quoteOf(start, end) {
    return this.text.slice(this.offsets.toUnits(start), this.offsets.toUnits(end));
  }

  // ---- Annotation writes ------------------------------------------------------

  tagSelection(tagKey) {
    const span = this.selection || this.readSelection();
    if (!span) return Promise.resolve();
    window.getSelection().removeAllRanges();
    this.selection = null;
    this.onSelectionChange();
    // One tag write at a time: a second hotkey pressed before the first save
    // returns must add its tag to that annotation, not create a duplicate.
    this.tagQueue = (this.tagQueue || Promise.resolve()).then(() => this.tagSpan(span, tagKey));
    return this.tagQueue;
  }

  async tagSpan(span, tagKey) {
    const same = [...this.annotations.values()].find(
      (a) => a.start === span.start && a.end === span.end && a.author === this.data.user);
    const tagName = (this.tags.get(tagKey) || { name: tagKey }).name;
    try {
      if (same) {
        if (same.tag_keys.includes(tagKey)) {
          this.status("saved", `Already tagged “${tagName}”`);
          return;
        }
        await this.update(same, { tag_keys: [...same.tag_keys, tagKey] }, `tag “${tagName}”`);
      } else {
        const body = { start: span.start, end: span.end, tag_keys: [tagKey], note: "" };
        const local = await this.createAnnotation(body, `tag “${tagName}”`);
        const handle = this.handleFor(local.id);
        this.undoStack.push({
          label: `tag “${tagName}”`,
          undo: () => this.deleteAnnotation(handle, "undo of the tag"),
          redo: async () => this.rekey(handle, (await this.createAnnotation(body, "redo of the tag")).id),
        });
      }
    } catch (_) { /* reported in the status line */ }
  }

  // The API calls undo and redo replay (the same ones the analyst's actions make).

  async createAnnotation(body, label) {
    const created = await this.save(label, () => api("POST", this.data.api.annotations, {
      document: this.data.document, ...body,
    }));
    const local = this.toLocal(created);
    this.annotations.set(local.id, local);
    this.rerender(local.u0, local.u1);
    return local;
  }

  async deleteAnnotation(handle, label) {
    const annotation = this.annotations.get(handle.id);
    if (!annotation) throw new Error("That annotation is no longer on the page.");
    await this.save(label, () => api("DELETE", `${this.data.api.annotations}${annotation.id}/?version=${annotation.version}`));
    this.annotations.delete(annotation.id);
    if (this.openId === annotation.id) this.closeDetail();
    this.rerender(annotation.u0, annotation.u1);
  }

  async patchAnnotation(handle, changes, label) {
    const annotation = this.annotations.get(handle.id);
    if (!annotation) throw new Error("That annotation is no longer on the page.");
    return this.update(annotation, changes, label, { record: false });
  }

  async update(annotation, changes, label, { record = true } = {}) {
    const id = annotation.id;
    const before = annotation.tag_keys;
    try {
      const fresh = await this.save(label, () => api("PATCH", `${this.data.api.annotations}${id}/`, {
        version: annotation.version, ...changes,
      }));
      this.replaceAnnotation(fresh);
      if (record && changes.tag_keys) {
        // A tag change can be undone; notes and review status are not (yet).
        const handle = this.handleFor(id);
        const after = changes.tag_keys;
        this.undoStack.push({
          label,
          undo: () => this.patchAnnotation(handle, { tag_keys: before }, `undo of ${label}`),
          redo: () => this.patchAnnotation(handle, { tag_keys: after }, `redo of ${label}`),
        });
      }
      return fresh;
    } catch (error) {
      if (error.status === 409) this.showConflict(annotation, changes, error.body);
      throw error;
    }
  }

  replaceAnnotation(fresh) {
    const old = this.annotations.get(fresh.id);
    const local = this.toLocal(fresh);
    this.annotations.set(local.id, local);
    this.rerender(Math.min(local.u0, old ? old.u0 : local.u0), Math.max(local.u1, old ? old.u1 : local.u1));
    if (this.openId === local.id) this.renderDetail(local, { keepFocus: true });
  }

  async remove(annotation) {
    if (!window.confirm(`Delete this annotation (“${annotation.quote.slice(0, 60)}”)? The history keeps a record.`)) return;
    try {
      const handle = this.handleFor(annotation.id);
      await this.deleteAnnotation(handle, "deletion");
      this.closeDetail();
      // Undo re-creates it (same words, tags and note; comments stay in the history).
      const body = { start: annotation.start, end: annotation.end, tag_keys: annotation.tag_keys, note: annotation.note || "" };
      this.undoStack.push({
        label: "deletion",
        undo: async () => this.rekey(handle, (await this.createAnnotation(body, "undo of the deletion")).id),
        redo: () => this.deleteAnnotation(handle, "redo of the deletion"),
      });
    } catch (error) {
      if (error.status === 409) this.showConflict(annotation, null, error.body);
    }
  }

  showConflict(mine, changes, body) {
    const box = $("#conflict");
    const current = body && body.extra ? body.extra.current : null;
    box.replaceChildren();
    box.append(el("h2", { text: "Not saved: this annotation changed" }));
    box.append(el("p", { text: (body && body.message) || "Someone else saved it first." }));
    if (current) {
      const names = current.tag_keys.map((k) => (this.tags.get(k) || { name: k }).name).join(", ");
      box.append(el("dl", {},
        el("dt", { text: "Current tags" }), el("dd", { text: names || "none" }),
        el("dt", { text: "Current note" }), el("dd", { text: current.note || "(empty)" }),
        el("dt", { text: "Current status" }), el("dd", { text: current.status }),
        el("dt", { text: "Version" }), el("dd", { text: `${current.version} (you edited ${mine.version})` }),
      ));
      if (changes) {
        box.append(el("p", { text: `Your change: ${Object.entries(changes).map(([k, v]) => `${k} = ${Array.isArray(v) ? v.join(", ") : v}`).join("; ")}` }));
      }
      const actions = el("div", { class: "actions" });
      actions.append(el("button", {
        type: "button", class: "primary", text: "Show the current version",
        onclick: () => { box.hidden = true; this.replaceAnnotation(current); },
      }));
      if (changes) {
        actions.append(el("button", {
          type: "button", text: "Apply my change to it",
          onclick: async () => {
            box.hidden = true;
            this.replaceAnnotation(current);
            try { await this.update(this.annotations.get(current.id), changes, "your change"); } catch (_) { /* shown */ }
          },
        }));
      }
      box.append(actions);
    } else {
      box.append(el("p", { text: "It was deleted by someone else." }));
      this.annotations.delete(mine.id);
      this.closeDetail();
      this.rerender(mine.u0, mine.u1);
      box.append(el("button", { type: "button", text: "Dismiss", onclick: () => { box.hidden = true; } }));
    }
    box.hidden = false;
    box.querySelector("button").focus();
  }

  // ---- Detail panel -----------------------------------------------------------

  openAt(span) {
    const ids = (span.dataset.ids || "").split(",").filter(Boolean).map(Number);
    if (!ids.length) return;
    if (ids.length === 1) {
      this.openDetail(ids[0]);
      return;
    }
    // Overlap: let the user pick which annotation to open.
    const body = $("#detail-body");
    $("#detail").hidden = false;
    $("#detail-title").textContent = `${ids.length} overlapping annotations`;
    const list = el("ul", { class: "pick-list" });
    for (const id of ids) {
      const a = this.annotations.get(id);
      if (!a) continue;
      const names = a.tag_keys.map((k) => (this.tags.get(k) || { name: k }).name).join(", ");
      list.append(el("li", {}, el("button", {
        type: "button", class: "link-like", onclick: () => this.openDetail(id),
      }, el("span", { class: "swatch", style: `background:${this.colourOf(a)}`, "aria-hidden": "true" }), `${names}: “${a.quote.slice(0, 60)}”`)));
    }
    body.replaceChildren(list);
    $("#detail-title").focus();
  }

  openDetail(id) {
    const previous = this.openId ? this.annotations.get(this.openId) : null;
    this.openId = id;
    const a = this.annotations.get(id);
    if (previous) this.rerender(previous.u0, previous.u1);
    this.rerender(a.u0, a.u1);
    this.renderDetail(a, { keepFocus: false });
  }

  closeDetail() {
    const previous = this.openId ? this.annotations.get(this.openId) : null;
    this.openId = null;
    $("#detail").hidden = true;
    if (previous) this.rerender(previous.u0, previous.u1);
  }

  renderDetail(a, { keepFocus }) {
    const panel = $("#detail");
    const body = $("#detail-body");
    panel.hidden = false;
    $("#detail-title").textContent = "Annotation";
    body.replaceChildren();
    body.append(el("blockquote", { class: "quote", text: a.quote }));
    body.append(el("p", { class: "muted small-print", text: `By ${a.author} · ${({ suggestion: "accepted suggestion", human: "tagged by hand", import: "imported", adjudication: "reconciled by a reviewer" })[a.origin] || a.origin} · ${a.status} · version ${a.version} · offsets ${a.start}–${a.end}` }));

    // Tags: chips with a remove button, and a picker to add one.
    const tagsBox = el("div", { class: "tags-box" }, el("h3", { text: "Tags" }));
    const chips = el("ul", { class: "tag-chips", "aria-label": "Tags of this annotation" });
    const setTags = async (keys, label) => {
      if (!keys.length) {
        this.status("error", "An annotation needs at least one tag; delete it instead.");
        return;
      }
      try { await this.update(this.annotations.get(a.id), { tag_keys: keys }, label); } catch (_) { /* shown */ }
    };
    for (const key of a.tag_keys) {
      const tag = this.tags.get(key) || { name: key, colour: "#718096" };
      const chip = el("li", { class: "tag-chip", style: `--chip:${tag.colour}` }, tag.name);
      if (this.canEdit) {
        chip.append(el("button", {
          type: "button", "aria-label": `Remove tag ${tag.name}`, title: "Remove tag",
          onclick: () => setTags(a.tag_keys.filter((k) => k !== key), `removal of “${tag.name}”`),
        }, "×"));
      }
      chips.append(chip);
    }
    tagsBox.append(chips);
    if (this.canEdit) {
      const addId = `tag-add-${a.id}`;
      const picker = el("select", { id: addId }, el("option", { value: "", text: "Choose a tag…" }));
      for (const tag of this.tags.values()) {
        if (!a.tag_keys.includes(tag.key)) picker.append(el("option", { value: tag.key, text: tag.name }));
      }
      picker.addEventListener("change", () => {
        if (picker.value) setTags([...a.tag_keys, picker.value], `tag “${this.tags.get(picker.value).name}”`);
      });
      tagsBox.append(el("div", { class: "tag-add" }, el("label", { for: addId, class: "visually-hidden", text: "Add a tag" }), picker));
    }
    body.append(tagsBox);

    // Note
    const noteId = `note-${a.id}`;
    const note = el("textarea", { id: noteId, rows: 3, readonly: !this.canEdit, maxlength: 20000 });
    note.value = a.note;
    const saveNote = async () => {
      const current = this.annotations.get(a.id);
      if (!current || note.value === current.note) return;
      try { await this.update(current, { note: note.value }, "note"); } catch (_) { /* shown */ }
    };
    if (this.canEdit) {
      note.addEventListener("blur", saveNote);
      note.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveNote(); }
      });
    }
    body.append(el("label", { for: noteId, text: "Note" }), note);
    if (this.canEdit) body.append(el("p", { class: "muted small-print", text: "Saved when you leave the field, or with Ctrl+Enter." }));

    // Status
    if (this.canEdit) {
      const statusId = `status-${a.id}`;
      const choices = [["draft", "Draft"], ["submitted", "Submitted"]];
      if (this.data.canReview) choices.push(["accepted", "Accepted by reviewer"], ["rejected", "Rejected by reviewer"]);
      const select = el("select", { id: statusId });
      for (const [value, label] of choices) {
        const option = el("option", { value, text: label });
        option.selected = value === a.status;
        select.append(option);
      }
      if (!choices.some(([v]) => v === a.status)) select.append(el("option", { value: a.status, text: a.status, selected: true }));
      select.addEventListener("change", async () => {
        try { await this.update(this.annotations.get(a.id), { status: select.value }, "status"); } catch (_) { /* shown */ }
      });
      body.append(el("label", { for: statusId, text: "Review status" }), select);
    }

    // Claims
    body.append(this.renderClaims(a));
    // Comments
    body.append(this.renderComments(a));

    if (this.canEdit) {
      body.append(el("div", { class: "actions" },
        el("button", { type: "button", class: "danger", onclick: () => this.remove(this.annotations.get(a.id)) }, "Delete annotation"),
        el("button", { type: "button", onclick: () => this.closeDetail() }, "Close")));
    } else {
      body.append(el("div", { class: "actions" }, el("button", { type: "button", onclick: () => this.closeDetail() }, "Close")));
    }
    if (!keepFocus) $("#detail-title").focus();
  }

  // ---- Claims (the legal app's /api/claims/) ---------------------------------

  async loadClaims() {
    // The claims with a mention in this document that this user may see
    // (blind mode applies), page by page, indexed by annotation id.
    const byAnnotation = new Map();
    let url = `${this.data.api.claims}?document=${this.data.document}`;
    try {
      while (url) {
        const data = await api("GET", url);
        const rows = Array.isArray(data) ? data : (data.results || []);
        for (const claim of rows) {
          for (const id of claim.mentions) {
            if (!byAnnotation.has(id)) byAnnotation.set(id, []);
            byAnnotation.get(id).push(claim);
          }
        }
        url = Array.isArray(data) ? null : data.next;
      }
    } catch (error) {
      this.status("error", `Claims could not be loaded: ${describeError(error)}`);
      return false;
    }
    for (const claims of byAnnotation.values()) claims.sort((x, y) => x.id - y.id);
    this.claimsByAnnotation = byAnnotation;
    return true;
  }

  async refreshClaims(id) {
    // After a claim write: reload the links, then redraw the open panel.
    this.claimsReady = this.loadClaims();
    await this.claimsReady;
    const current = this.annotations.get(id);
    if (current && this.openId === id) this.renderDetail(current, { keepFocus: true });
  }

  renderClaims(a) {
    const box = el("section", { class: "claims", "aria-label": "Claims" }, el("h3", { text: "Claim" }));
    const list = el("ul", { class: "claim-list", "aria-busy": "true" });
    list.append(el("li", { class: "muted", text: "Loading claims…" }));
    box.append(list);
    const area = el("div", { class: "claim-tools" });
    if (this.canEdit) box.append(area);
    this.claimsReady.then((loaded) => {
      list.removeAttribute("aria-busy");
      if (!loaded) {
        list.replaceChildren(el("li", { class: "error", text: "Claims could not be loaded; reload the page." }));
        return;
      }
      const claims = this.claimsByAnnotation.get(a.id) || [];
      list.replaceChildren(...claims.map((claim) => {
        const item = el("li", {},
          el("strong", { text: claim.proposition }),
          el("div", { class: "muted small-print", text: `Claimant: ${claim.claimant || "not named"} (${claim.claimant_type.replace(/_/g, " ")}) · Evidence: ${claim.evidence_status.replace(/_/g, " ")}` }));
        if (this.canEdit) item.append(this.claimEditor(a, claim));
        return item;
      }));
      if (!claims.length) list.append(el("li", { class: "muted", text: "Not attached to a claim." }));
      if (!this.canEdit) return;
      const searchId = `claim-q-${a.id}`;
      const search = el("input", { type: "search", id: searchId, placeholder: "Find a claim by words" });
      const results = el("ul", { class: "claim-results", "aria-live": "polite" });
      const run = async () => {
        try {
          const url = `${this.data.api.claims}?project=${encodeURIComponent(this.data.project)}&q=${encodeURIComponent(search.value)}`;
          const data = await api("GET", url);
          const rows = Array.isArray(data) ? data : (data.results || []);
          results.replaceChildren(...rows.slice(0, 8).map((claim) => el("li", {},
            el("span", { text: claim.proposition }),
            el("button", { type: "button", class: "small", onclick: () => this.attachClaim(a, claim.id) }, "Attach"))));
          if (!rows.length) results.replaceChildren(el("li", { class: "muted", text: "No claim matches." }));
        } catch (error) { results.replaceChildren(el("li", { class: "error", text: describeError(error) })); }
      };
      search.addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); run(); } });
      area.append(el("label", { for: searchId, text: "Attach to an existing claim" }), search,
        el("button", { type: "button", class: "small", onclick: run }, "Search"), results);

      const form = el("form", { class: "new-claim" });
      const pid = `claim-prop-${a.id}`;
      const cid = `claim-claimant-${a.id}`;
      const tid = `claim-type-${a.id}`;
      const eid = `claim-ev-${a.id}`;
      const proposition = el("textarea", { id: pid, rows: 2, required: true });
      proposition.value = a.quote;
      const claimant = el("input", { id: cid });
      const ctype = el("select", { id: tid });
      const types = claimantTypes();
      for (const [v, l] of types.choices) ctype.append(el("option", { value: v, text: l }));
      const suggestedType = this.suggestedClaimantType(a);
      ctype.value = types.choices.some(([v]) => v === suggestedType) ? suggestedType : types.default;
      const evidence = el("select", { id: eid });
      for (const [v, l] of EVIDENCE) evidence.append(el("option", { value: v, text: l }));
      if (a.tag_keys.includes("no_evidence_provided")) evidence.value = "not_provided";
      form.append(el("h4", { text: "Or start a new claim" }),
        el("label", { for: pid, text: "Proposition (one sentence)" }), proposition,
        el("label", { for: cid, text: "Claimant" }), claimant,
        el("label", { for: tid, text: "Claimant type" }), ctype,
        el("label", { for: eid, text: "Evidence status" }), evidence,
        el("button", { type: "submit", class: "small primary" }, "Create claim and attach"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          await this.save("claim", () => api("POST", this.data.api.claims, {
            project: this.data.project, proposition: proposition.value, claimant: claimant.value,
            claimant_type: ctype.value, evidence_status: evidence.value, annotation: a.id,
          }));
          await this.refreshClaims(a.id);
        } catch (_) { /* shown */ }
      });
      area.append(form);
    });
    return box;
  }

  suggestedClaimantType(a) {
    // The claimant type the pipeline suggested for the annotation's sentence:
    // the suggestion it was accepted from (this session or the page payload),
    // else a pending suggestion whose sentence contains it.
    if (a.claimant_type) return a.claimant_type;
    const fromPage = (this.data.suggestedClaimantTypes || {})[a.id];
    if (fromPage) return fromPage;
    const around = this.suggestions.find((s) => s.claimant_type && s.c0 <= a.u0 && s.c1 >= a.u1);
    return around ? around.claimant_type : "";
  }

  claimEditor(a, claim) {
    // Claimant and evidence status of a linked claim, saved with its version.
    const form = el("form", { class: "claim-edit" });
    const cid = `claim-${claim.id}-claimant-${a.id}`;
    const eid = `claim-${claim.id}-evidence-${a.id}`;
    const claimant = el("input", { id: cid, maxlength: 300 });
    claimant.value = claim.claimant;
    const evidence = el("select", { id: eid });
    for (const [v, l] of EVIDENCE) evidence.append(el("option", { value: v, text: l }));
    evidence.value = claim.evidence_status;
    form.append(el("label", { for: cid, text: "Claimant" }), claimant,
      el("label", { for: eid, text: "Evidence status" }), evidence,
      el("button", { type: "submit", class: "small" }, "Save claim"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await this.save("claim", () => api("PATCH", `${this.data.api.claims}${claim.id}/`, {
          version: claim.version, claimant: claimant.value, evidence_status: evidence.value,
        }));
        await this.refreshClaims(a.id);
      } catch (error) {
        if (error.status === 409) {
          form.append(el("p", { class: "error", role: "alert", text: `${error.message} Reload the annotation to see the claim as it is now.` }));
        }
      }
    });
    return form;
  }

  async attachClaim(a, claimId) {
    try {
      await this.save("claim link", () => api("POST", `${this.data.api.claims}${claimId}/mentions/`, { annotation: a.id }));
      await this.refreshClaims(a.id);
    } catch (_) { /* shown */ }
  }

  // ---- Comments -------------------------------------------------------------------

  renderComments(a) {
    const box = el("section", { class: "comments", "aria-label": "Comments" }, el("h3", { text: `Comments (${a.comment_count || 0})` }));
    const list = el("ol", { class: "comment-list" });
    box.append(list);
    api("GET", `${this.data.api.comments}?annotation=${a.id}`).then((data) => {
      const rows = Array.isArray(data) ? data : (data.results || []);
      list.replaceChildren(...rows.map((c) => el("li", {},
        el("div", { class: "muted small-print", text: `${c.author}, ${new Date(c.created_at).toLocaleString()}` }),
        el("p", { text: c.body }))));
      if (!rows.length) list.append(el("li", { class: "muted", text: "No comments yet." }));
    }).catch((error) => list.replaceChildren(el("li", { class: "error", text: describeError(error) })));
    if (this.canEdit) {
      const id = `comment-${a.id}`;
      const input = el("textarea", { id, rows: 2, maxlength: 10000 });
      const form = el("form", {}, el("label", { for: id, text: "Add a comment" }), input,
        el("button", { type: "submit", class: "small" }, "Post comment"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!input.value.trim()) return;
        try {
          await this.save("comment", () => api("POST", this.data.api.comments, { annotation: a.id, body: input.value }));
          const current = this.annotations.get(a.id);
          current.comment_count = (current.comment_count || 0) + 1;
          this.renderDetail(current, { keepFocus: true });
        } catch (_) { /* shown */ }
      });
      box.append(form);
    }
    return box;
  }

  // ---- Suggestions ------------------------------------------------------------------

  focusRange() {
    const s = this.suggestions[this.current];
    return s ? [s.u0, s.u1] : null;
  }

  contextRange() {
    // The sentence of the focused suggestion (contains its words).
    const s = this.suggestions[this.current];
    return s ? [Math.min(s.c0, s.u0), Math.max(s.c1, s.u1)] : null;
  }

  suggestionItem(s) {
    const tag = this.tags.get(s.tag_key) || { colour: "#718096", name: s.tag_name };
    const item = el("li", {
      class: "suggestion", tabindex: "-1", "data-id": s.id,
      onclick: (event) => { if (!event.target.closest("button, form")) this.focusSuggestion(this.indexOf(s.id), true); },
    },
    el("div", { class: "sg-tag" }, el("span", { class: "swatch", style: `background:${tag.colour}`, "aria-hidden": "true" }), tag.name,
      el("span", { class: "muted small-print", text: ` · ${Math.round(s.confidence * 100)}%` })),
    this.suggestionQuote(s),
    el("div", { class: "muted small-print", text: s.explanation || s.rule }));
    if (this.canEdit) {
      item.append(el("div", { class: "actions" },
        el("button", { type: "button", class: "small primary", onclick: () => this.accept(this.indexOf(s.id)) }, "Accept"),
        el("button", { type: "button", class: "small", onclick: () => this.editSuggestion(this.indexOf(s.id)) }, "Edit…"),
        el("button", { type: "button", class: "small", onclick: () => this.reject(this.indexOf(s.id)) }, "Reject")));
    }
    return item;
  }

  renderSuggestions() {
    // Built once; j/k, decisions and undo then touch single items.
    const list = $("#suggestions");
    this.items = new Map();
    const fragment = document.createDocumentFragment();
    for (const s of this.suggestions) {
      const item = this.suggestionItem(s);
      this.items.set(s.id, item);
      fragment.append(item);
    }
    list.replaceChildren(fragment);
    this.suggestionsChanged();
    this.markCurrent(true);
  }

  suggestionsChanged() {
    $("#suggestion-count").textContent = this.suggestions.length;
    const list = $("#suggestions");
    const empty = list.querySelector("li.empty");
    if (!this.suggestions.length && !empty) list.append(el("li", { class: "muted empty", text: "No suggestions waiting." }));
    if (this.suggestions.length && empty) empty.remove();
  }

  markCurrent(on) {
    const s = this.suggestions[this.current];
    const item = s ? this.items.get(s.id) : null;
    if (!item) return null;
    item.classList.toggle("current", on);
    item.tabIndex = on ? 0 : -1;
    if (on) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
    return item;
  }

  indexOf(id) {
    return this.suggestions.findIndex((s) => s.id === id);
  }

  suggestionQuote(s) {
    // The sentence, with the words that carry the tag marked (long
    // sentences are cut around them).
    const words = this.text.slice(s.u0, s.u1);
    if (s.c0 >= s.u0 && s.c1 <= s.u1) {
      return el("q", { class: "sg-quote", text: words.length > 140 ? words.slice(0, 137) + "…" : words });
    }
    let before = this.text.slice(Math.min(s.c0, s.u0), s.u0);
    let after = this.text.slice(s.u1, Math.max(s.c1, s.u1));
    if (before.length > 70) before = "…" + before.slice(-69);
    if (after.length > 70) after = after.slice(0, 69) + "…";
    return el("q", { class: "sg-quote" }, before, el("mark", { class: "sg-words", text: words }), after);
  }

  focusSuggestion(index, moveFocus) {
    if (!this.suggestions.length || index < 0) return;
    const old = this.contextRange();
    this.markCurrent(false);
    this.current = Math.max(0, Math.min(index, this.suggestions.length - 1));
    const now = this.contextRange();
    if (old) this.rerender(old[0], old[1]);
    if (now && (!old || now[0] !== old[0] || now[1] !== old[1])) this.rerender(now[0], now[1]);
    const item = this.markCurrent(true);
    if (item && moveFocus) item.focus({ preventScroll: true });
    if (item) item.scrollIntoView({ block: "nearest" });
    const mark = this.textRoot.querySelector(".sg-focus");
    if (mark) mark.scrollIntoView({ block: "center" });
  }

  async accept(index) {
    const s = this.suggestions[index];
    if (s) await this.decide(s, "accept");
  }

  async reject(index) {
    const s = this.suggestions[index];
    if (s) await this.decide(s, "reject");
  }

  async decide(s, how, body) {
    // Accept, edit or reject through the API; undo reopens it (a service
    // that deletes the annotation the acceptance made), redo decides again.
    const labels = { accept: "accepted suggestion", edit: "edited suggestion", reject: "rejection" };
    let annotation;
    try {
      annotation = await this.sendDecision(s, how, body, labels[how]);
    } catch (error) {
      if (error.status === 409) this.dropSuggestion(s.id, null);
      return;
    }
    const handle = annotation ? this.handleFor(annotation.id) : null;
    this.undoStack.push({
      label: labels[how],
      undo: async () => {
        const reopened = await this.save(`undo of the ${labels[how]}`, () => api("POST", `${this.data.api.suggestions}${s.id}/reopen/`));
        if (handle) {
          const gone = this.annotations.get(handle.id);
          this.annotations.delete(handle.id);
          if (this.openId === handle.id) this.closeDetail();
          if (gone) this.rerender(gone.u0, gone.u1);
        }
        this.restoreSuggestion(reopened);
      },
      redo: async () => {
        const again = await this.sendDecision(s, how, body, `redo of the ${labels[how]}`);
        if (handle && again) this.rekey(handle, again.id);
      },
    });
  }

  async sendDecision(s, how, body, label) {
    const result = await this.save(label, () => api("POST", `${this.data.api.suggestions}${s.id}/${how}/`, body));
    const annotation = how === "reject" ? null : result.annotation;
    return this.dropSuggestion(s.id, annotation);
  }

  editSuggestion(index) {
    const s = this.suggestions[index];
    if (!s) return;
    const item = $(`#suggestions li[data-id="${s.id}"]`);
    const selection = this.selection;
    const form = el("form", { class: "sg-edit" });
    const fieldset = el("fieldset", {}, el("legend", { text: "Tags for the accepted annotation" }));
    for (const tag of this.tags.values()) {
      const id = `sg-${s.id}-${tag.key}`;
      const input = el("input", { type: "checkbox", id, value: tag.key });
      input.checked = tag.key === s.tag_key;
      fieldset.append(el("div", { class: "check" }, input, el("label", { for: id, text: tag.name })));
    }
    form.append(fieldset);
    const spanId = `sg-span-${s.id}`;
    const useSelection = el("input", { type: "checkbox", id: spanId, disabled: !selection });
    form.append(el("div", { class: "check" }, useSelection, el("label", { for: spanId,
      text: selection ? `Use the selected words instead: “${this.quoteOf(selection.start, selection.end).slice(0, 60)}”` : "To change the words, select them in the text first" })));
    form.append(el("div", { class: "actions" },
      el("button", { type: "submit", class: "small primary" }, "Accept with edits"),
      el("button", { type: "button", class: "small", onclick: () => form.remove() }, "Cancel")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const keys = [...fieldset.querySelectorAll("input:checked")].map((x) => x.value);
      const span = useSelection.checked && selection ? selection : { start: s.start, end: s.end };
      await this.decide(s, "edit", { start: span.start, end: span.end, tag_keys: keys });
    });
    item.append(form);
    fieldset.querySelector("input").focus();
  }

  dropSuggestion(id, annotation) {
    // A decided suggestion leaves the list; its annotation (if any) enters the text.
    const index = this.indexOf(id);
    let local = null;
    if (annotation) {
      local = this.toLocal(annotation);
      const from = index < 0 ? null : this.suggestions[index];
      if (from && from.claimant_type) local.claimant_type = from.claimant_type;
      this.annotations.set(local.id, local);
      this.rerender(local.u0, local.u1);
    }
    if (index < 0) return local;
    const s = this.suggestions[index];
    const wasCurrent = index === this.current;
    const old = this.contextRange();
    if (wasCurrent) this.markCurrent(false);
    this.suggestions.splice(index, 1);
    const item = this.items.get(id);
    if (item) item.remove();
    this.items.delete(id);
    if (index < this.current) this.current -= 1;
    if (this.current >= this.suggestions.length) this.current = Math.max(0, this.suggestions.length - 1);
    this.rerender(Math.min(s.u0, s.c0), Math.max(s.u1, s.c1));
    if (old) this.rerender(old[0], old[1]);
    const now = this.contextRange();
    if (now) this.rerender(now[0], now[1]);
    this.suggestionsChanged();
    const current = this.markCurrent(true);
    if (current && wasCurrent) current.focus({ preventScroll: true });
    return local;
  }

  restoreSuggestion(data) {
    // Back in the list (in text order) after an undo, and made current.
    const s = {
      ...data,
      u0: this.offsets.toUnits(data.start),
      u1: this.offsets.toUnits(data.end),
      c0: this.offsets.toUnits(data.context_start ?? data.start),
      c1: this.offsets.toUnits(data.context_end ?? data.end),
    };
    let index = this.suggestions.findIndex((x) => x.start > s.start || (x.start === s.start && x.end > s.end));
    if (index < 0) index = this.suggestions.length;
    this.markCurrent(false);
    this.suggestions.splice(index, 0, s);
    const item = this.suggestionItem(s);
    this.items.set(s.id, item);
    const next = this.suggestions[index + 1];
    $("#suggestions").insertBefore(item, next ? this.items.get(next.id) : null);
    this.suggestionsChanged();
    if (index <= this.current && this.suggestions.length > 1) this.current += 1;
    this.focusSuggestion(index, true);
  }

  // ---- Undo and redo ---------------------------------------------------------------

  async undoOrRedo(kind) {
    const stack = this.undoStack;
    if (kind === "undo" ? !stack.canUndo : !stack.canRedo) {
      this.status("saved", kind === "undo" ? "Nothing to undo" : "Nothing to redo");
      return;
    }
    try {
      const entry = await stack[kind]();
      if (entry) this.status("saved", `${kind === "undo" ? "Undone" : "Redone"}: ${entry.label}`);
    } catch (error) {
      if (!error.status) this.status("error", `Could not ${kind}: ${error.message}`);
      // API errors are already in the status line (save()).
    }
  }

  // ---- Layers ------------------------------------------------------------------------

  renderLayers() {
    // Annotators: those whose annotations this page may show (blind mode
    // already left out the others on the server).
    const select = $("#layer-author");
    if (!select) return;
    const authors = [...new Set([...this.annotations.values()].map((a) => a.author))].sort();
    for (const name of authors) select.append(el("option", { value: name, text: name }));
    const apply = () => {
      this.layers = {
        suggested: $("#layer-suggested").checked,
        annotated: $("#layer-annotated").checked,
        adjudicated: $("#layer-adjudicated").checked,
        author: select.value,
      };
      this.renderAll();
    };
    for (const input of this.root.querySelectorAll("#layers input, #layers select")) input.addEventListener("change", apply);
  }

  // ---- Keyboard and events -------------------------------------------------------------

  bind() {
    document.addEventListener("selectionchange", () => this.onSelectionChange());
    for (const button of this.root.querySelectorAll(".tag-button")) {
      button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
      button.addEventListener("click", () => this.tagSelection(button.dataset.tag));
    }
    this.textRoot.addEventListener("click", (event) => {
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) return; // the user is selecting, not clicking
      const span = event.target.closest("span.hl");
      if (span) {
        this.openAt(span);
        return;
      }
      // A pending suggestion in the text: make it the current one in the list.
      const suggested = event.target.closest("span.sg-pending");
      if (suggested) this.focusSuggestion(this.indexOf(Number(suggested.dataset.sg.split(",")[0])), false);
    });
    this.textRoot.addEventListener("keydown", (event) => {
      const span = event.target.closest && event.target.closest("span.hl[tabindex]");
      if (span && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        event.stopPropagation();
        this.openAt(span);
      }
    });
    const help = $("#help-dialog");
    $("#help-button").addEventListener("click", () => help.showModal());
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  onKey(event) {
    const target = event.target;
    if (event.defaultPrevented) return;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog[open]")) return;
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "z" || key === "y")) {
      if (!this.canEdit) return;
      event.preventDefault();
      this.undoOrRedo(key === "y" || event.shiftKey ? "redo" : "undo");
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "?") {
      event.preventDefault();
      $("#help-dialog").showModal();
      return;
    }
    if (event.key === "Escape") {
      window.getSelection().removeAllRanges();
      $("#conflict").hidden = true;
      this.closeDetail();
      return;
    }
    if (!this.canEdit && !["j", "k"].includes(event.key)) return;
    const selection = this.canEdit ? this.readSelection() : null;
    if (selection && !event.shiftKey) {
      const key = this.hotkeys.get(event.key.toLowerCase());
      if (key) {
        event.preventDefault();
        this.selection = selection;
        this.tagSelection(key);
      }
      return;
    }
    const onButton = target.closest && target.closest("button, a, summary, span.hl[tabindex]");
    switch (event.key) {
      case "j":
        event.preventDefault();
        this.focusSuggestion(this.current + 1, true);
        break;
      case "k":
        event.preventDefault();
        this.focusSuggestion(this.current - 1, true);
        break;
      case "Enter":
        if (onButton || !this.suggestions.length) return;
        event.preventDefault();
        if (event.shiftKey) this.editSuggestion(this.current);
        else this.accept(this.current);
        break;
      case "Backspace":
      case "Delete":
        if (!this.suggestions.length) return;
        event.preventDefault();
        this.reject(this.current);
        break;
      default:
        break;
    }
  }
}

function start() {
  const root = document.getElementById("annotator");
  const script = document.getElementById("annotator-data");
  if (!root || !script) return;
  const data = JSON.parse(script.textContent);
  window.glossaAnnotator = new Annotator(root, data);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
