// Glossa annotator: highlights, hotkeys, suggestions, notes, claims, comments.
//
// ES modules, no build step (static/js/annotator/): offsets (code points <->
// UTF-16), selection (and the keyboard caret), rendering, store (API writes
// and the undo stack), keys, panels. This entry assembles them into one
// object and starts it. It talks only to the REST API (/api/...), sending the
// CSRF token. Choice lists (evidence statuses, figures' counts and bounds,
// review statuses, origins) come from the server in JSON script elements,
// never copied here.

import { $, mix } from "./annotator/dom.js";
import { KeysMethods } from "./annotator/keys.js";
import { Offsets } from "./annotator/offsets.js";
import { PanelsMethods } from "./annotator/panels.js";
import { RenderingMethods } from "./annotator/rendering.js";
import { SelectionMethods } from "./annotator/selection.js";
import { StoreMethods, UndoStack } from "./annotator/store.js";

export { Offsets, snapToTokens, tokenEdge, nearestEdge } from "./annotator/offsets.js";
export { UndoStack } from "./annotator/store.js";

// A JSON script element rendered by the server (json_script), or ``fallback``.
export function serverJson(id, fallback) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : fallback;
}

class Annotator {
  constructor(root, data) {
    this.root = root;
    this.data = data;
    this.text = data.text;
    this.offsets = new Offsets(this.text);
    this.tokens = data.tokens;
    this.canEdit = data.canEdit;
    this.choices = serverJson("annotator-choices", {});
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
    this.caret = null; // the keyboard caret: {anchor, focus} in code points
    this.openId = null;
    this.preview = null; // a resize being dragged or keyed: {id, start, end}
    // Claim links come from the legal app's API, not the page payload.
    this.claimsByAnnotation = new Map();
    this.textRoot = $("#doc-text");
    this.paragraphs = this.splitParagraphs();
    this.renderAll();
    this.renderSuggestions();
    this.renderLayers();
    this.bind();
    this.root.dataset.ready = "true";
    this.root.dataset.readyMs = String(Math.round(performance.now()));
    this.claimsReady = this.loadClaims();
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
}

mix(Annotator, StoreMethods, RenderingMethods, SelectionMethods, PanelsMethods, KeysMethods);

function start() {
  const root = document.getElementById("annotator");
  const script = document.getElementById("annotator-data");
  if (!root || !script) return;
  const data = JSON.parse(script.textContent);
  window.glossaAnnotator = new Annotator(root, data);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
