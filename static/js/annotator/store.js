// The store: the annotations and suggestions on the page, the writes that
// change them through the REST API, and the undo stack that replays them.
//
//
// An entry is { label, undo, redo }: two async functions that make the same
// API calls the analyst's own actions make (delete, create, PATCH, accept,
// reject, reopen), so the server keeps its checks and its history. Entries
// that concern one annotation share a handle ({ id }): re-creating an
// annotation gives it a new id, and the later entries follow the handle.
// One step runs at a time; a step that fails is dropped (it cannot be
// replayed against a server that moved on) and the error is reported.

import { api, describeError } from "./api.js";
import { $, el } from "./dom.js";
import { tokenEdge } from "./offsets.js";

export class UndoStack {
  constructor(limit = 200) {
    this.done = [];
    this.undone = [];
    this.limit = limit;
    this.queue = Promise.resolve();
  }

  push(entry) {
    this.done.push(entry);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  get canUndo() { return this.done.length > 0; }

  get canRedo() { return this.undone.length > 0; }

  undo() { return this.step(this.done, this.undone, "undo"); }

  redo() { return this.step(this.undone, this.done, "redo"); }

  step(from, to, kind) {
    this.queue = this.queue.then(async () => {
      const entry = from.pop();
      if (!entry) return null;
      await entry[kind]();
      to.push(entry);
      return entry;
    });
    const result = this.queue;
    this.queue = this.queue.catch(() => null);
    return result;
  }
}

export class StoreMethods {
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

  // ---- Annotation writes ------------------------------------------------------

  tagSelection(tagKey) {
    const span = this.selection || this.readSelection();
    if (!span) return Promise.resolve();
    window.getSelection().removeAllRanges();
    this.selection = null;
    this.onSelectionChange();
    // The keyboard caret goes on after the words just tagged.
    if (this.caret) this.caret = { anchor: span.end, focus: span.end };
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

  // ---- Resize: the same annotation, new words --------------------------------
  // A resize is a PATCH of start and end (never a delete and a create), so
  // comments, claim links and figures stay with the annotation, and the
  // history records it as an update. Keys and drags preview at once and are
  // saved together when they pause (one history entry, one undo step).

  resizeBy(edge, direction) {
    const a = this.annotations.get(this.openId);
    if (!a) return;
    let { start, end } = a;
    if (edge === "end") end = tokenEdge(this.tokens, end, 1, direction);
    else start = tokenEdge(this.tokens, start, 0, direction);
    if (start === null || end === null || start >= end) {
      this.status("saved", "The span cannot be smaller than one word, or go past the text");
      return;
    }
    this.previewResize(a, start, end);
    clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => this.commitResize(), 400);
  }

  previewResize(a, start, end) {
    // Show the annotation on its new words now; commitResize saves it.
    if (!this.preview || this.preview.id !== a.id) {
      if (this.preview) this.commitResize();
      this.preview = { id: a.id, start: a.start, end: a.end };
    }
    const old = [a.u0, a.u1];
    a.start = start;
    a.end = end;
    a.u0 = this.offsets.toUnits(start);
    a.u1 = this.offsets.toUnits(end);
    a.quote = this.text.slice(a.u0, a.u1);
    this.rerender(Math.min(old[0], a.u0), Math.max(old[1], a.u1));
    this.status("saving", `Resizing: “${a.quote.length > 60 ? a.quote.slice(0, 57) + "…" : a.quote}”`);
  }

  commitResize() {
    clearTimeout(this.resizeTimer);
    const preview = this.preview;
    this.preview = null;
    if (!preview) return this.resizeQueue;
    // One save at a time: each PATCH names the version the last one made.
    this.resizeQueue = (this.resizeQueue || Promise.resolve()).then(() => this.saveResize(preview));
    return this.resizeQueue;
  }

  async saveResize(preview) {
    const a = this.annotations.get(preview.id);
    if (!a) return;
    const before = { start: preview.start, end: preview.end };
    const after = { start: a.start, end: a.end };
    if (before.start === after.start && before.end === after.end) {
      this.status("saved", "Span unchanged");
      return;
    }
    const handle = this.handleFor(a.id);
    try {
      await this.update(a, after, "resize", { record: false });
      this.undoStack.push({
        label: "resize",
        undo: () => this.patchAnnotation(handle, before, "undo of the resize"),
        redo: () => this.patchAnnotation(handle, after, "redo of the resize"),
      });
    } catch (error) {
      // Not saved: back to the words the server has (a conflict shows its own panel).
      const current = this.annotations.get(preview.id);
      if (current && error.status !== 409) {
        const old = [current.u0, current.u1];
        Object.assign(current, this.toLocal({ ...current, ...before, quote: undefined }));
        this.rerender(Math.min(old[0], current.u0), Math.max(old[1], current.u1));
      }
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
}
