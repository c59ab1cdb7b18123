// Rendering: the document text as paragraphs of pieces, each piece a run of
// text with the same annotations, suggestions and marks over it. A change
// re-renders only the paragraphs it touches.

import { $, el } from "./dom.js";

export class RenderingMethods {
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
    const caret = this.caretWord();
    for (const range of [focus, around, caret]) {
      if (!range) continue;
      for (const u of range) if (u > para.start && u < para.end) cuts.add(u);
    }
    const points = [...cuts].sort((x, y) => x - y);
    const open = this.canEdit && this.openId !== null ? items.find((a) => a.id === this.openId) : null;
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
        // The tag's name where each annotation starts: not colour alone (WCAG 1.4.1).
        const starting = covering.filter((a) => a.u0 === s);
        if (starting.length) span.dataset.label = starting.map((a) => this.labelOf(a)).join(" + ");
        if (!firstSeen.has(top.id) && top.u0 === s) {
          firstSeen.add(top.id);
          span.tabIndex = 0;
          span.setAttribute("role", "button");
          // The name starts with what is seen (the tag label, then the
          // words: WCAG 2.5.3); Enter opens it (the shortcuts help says so).
          const overlap = covering.length > 1 ? `, ${covering.length} overlapping annotations` : "";
          span.setAttribute("aria-label", `${span.dataset.label || this.labelOf(top)} ${span.textContent}${overlap}`);
        }
      }
      const suggested = pending.filter((x) => x.u0 <= s && x.u1 >= e);
      if (suggested.length) {
        span.classList.add("sg-pending");
        span.dataset.sg = suggested.map((x) => x.id).join(",");
      }
      if (focus && s >= focus[0] && e <= focus[1]) span.classList.add("sg-focus");
      else if (around && s >= around[0] && e <= around[1]) span.classList.add("sg-context");
      if (caret && s === caret[0]) span.classList.add("kb-caret");
      // The open annotation's ends get grips to drag (resize).
      if (open && s === open.u0) node.append(this.grip("start", s));
      node.append(span);
      if (open && e === open.u1) node.append(this.grip("end", e));
    }
    return node;
  }

  grip(edge, unit) {
    // A handle to drag; the keyboard does the same with Alt+Shift+arrows.
    const grip = document.createElement("span");
    grip.className = `grip grip-${edge}`;
    grip.dataset.grip = edge;
    grip.dataset.u = unit;
    grip.setAttribute("aria-hidden", "true");
    grip.title = edge === "start" ? "Drag to move the start" : "Drag to move the end";
    return grip;
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
  }

  rerender(u0, u1) {
    this.rerenderRanges([[u0, u1]]);
  }

  rerenderRanges(ranges) {
    // Re-render only the paragraphs the ranges (UTF-16 [u0, u1], or null)
    // touch, each once.
    const indices = new Set();
    for (const range of ranges) {
      if (!range) continue;
      const last = this.paragraphIndex(Math.max(range[0], range[1] - 1));
      for (let i = this.paragraphIndex(range[0]); i <= last; i++) indices.add(i);
    }
    for (const i of indices) {
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

  focusRange() {
    const s = this.suggestions[this.current];
    return s ? [s.u0, s.u1] : null;
  }

  contextRange() {
    // The sentence of the focused suggestion (contains its words).
    const s = this.suggestions[this.current];
    return s ? [Math.min(s.c0, s.u0), Math.max(s.c1, s.u1)] : null;
  }
}
