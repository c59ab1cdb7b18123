// Undo and redo for the annotator (Ctrl+Z, Ctrl+Shift+Z).
//
// An entry is { label, undo, redo }: two async functions that make the same
// API calls the analyst's own actions make (delete, create, PATCH, accept,
// reject, reopen), so the server keeps its checks and its history. Entries
// that concern one annotation share a handle ({ id }): re-creating an
// annotation gives it a new id, and the later entries follow the handle.
// One step runs at a time; a step that fails is dropped (it cannot be
// replayed against a server that moved on) and the error is reported.

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
