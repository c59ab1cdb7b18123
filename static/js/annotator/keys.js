// Keys and events: hotkeys, j/k, Enter/Backspace on suggestions, undo/redo,
// the caret and the resize keys.

import { $ } from "./dom.js";
import { nearestEdge } from "./offsets.js";

export class KeysMethods {
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
      // A pending suggestion in the text: make it the current one in the list.
      const suggested = event.target.closest("span.sg-pending");
      if (span) this.openAt(span);
      else if (suggested) this.focusSuggestion(this.indexOf(Number(suggested.dataset.sg.split(",")[0])), false);
      this.caretFromClick();
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
    if (this.canEdit) this.bindCaret();
    if (this.canEdit) this.bindGrips();
  }

  bindCaret() {
    // The text takes the focus (Tab) and shows a caret: arrows move it a
    // word, Shift+arrows select, a tag's key tags the selection.
    this.textRoot.tabIndex = 0;
    // Focus from a click shows no caret (re-rendering under the pointer
    // would swallow the click); the next arrow key shows it where the click
    // was (caretFromClick).
    this.textRoot.addEventListener("pointerdown", () => { this.pointerActive = true; });
    document.addEventListener("pointerup", () => { this.pointerActive = false; });
    this.textRoot.addEventListener("focus", () => { if (!this.pointerActive) this.showCaret(true); });
    this.textRoot.addEventListener("blur", () => this.showCaret(false));
  }

  caretFromClick() {
    // After a click in the text: the caret goes to the word clicked.
    const selection = window.getSelection();
    if (!this.canEdit || !selection || !selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    if (!this.textRoot.contains(range.startContainer)) return;
    const unit = this.unitAt(range.startContainer, range.startOffset);
    if (unit !== null) this.placeCaret(this.offsets.toCodePoints(unit));
  }

  bindGrips() {
    // Drag an end of the open annotation (its grips) to resize it; the span
    // snaps to words, and the change is saved when the button is released.
    this.textRoot.addEventListener("pointerdown", (event) => {
      const grip = event.target.closest && event.target.closest(".grip");
      if (!grip || event.button !== 0) return;
      const a = this.annotations.get(this.openId);
      if (!a) return;
      event.preventDefault();
      const edge = grip.dataset.grip;
      const move = (e) => {
        const cp = this.pointToCodePoint(e.clientX, e.clientY);
        if (cp === null) return;
        const current = this.annotations.get(a.id);
        if (!current) return;
        let { start, end } = current;
        if (edge === "start") start = nearestEdge(this.tokens, cp, 0);
        else end = nearestEdge(this.tokens, cp, 1);
        if (start === null || end === null || start >= end) return;
        if (start !== current.start || end !== current.end) this.previewResize(current, start, end);
      };
      const up = () => {
        document.removeEventListener("pointermove", move);
        document.removeEventListener("pointerup", up);
        document.body.classList.remove("dragging-grip");
        this.commitResize();
      };
      document.body.classList.add("dragging-grip");
      document.addEventListener("pointermove", move);
      document.addEventListener("pointerup", up);
    });
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
    // Alt+Shift+arrows resize the open annotation a word at a time: left and
    // right move its end, up and down its start.
    const resizeKeys = { ArrowRight: ["end", 1], ArrowLeft: ["end", -1], ArrowUp: ["start", -1], ArrowDown: ["start", 1] };
    if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && resizeKeys[event.key]) {
      if (!this.canEdit || this.openId === null) return;
      event.preventDefault();
      this.resizeBy(...resizeKeys[event.key]);
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target === this.textRoot && this.canEdit && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      event.preventDefault();
      this.moveCaret(event.key === "ArrowRight" ? 1 : -1, event.shiftKey);
      return;
    }
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
