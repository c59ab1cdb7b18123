// Selection: DOM positions <-> offsets, the selection snapped to words, and
// the keyboard caret (create a span without a mouse).

import { snapToTokens, tokenEdge } from "./offsets.js";
import { $ } from "./dom.js";

export class SelectionMethods {
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
    if (element.matches && element.matches(".grip")) return Number(element.dataset.u);
    if (element.matches && element.matches("p[data-p]")) {
      // Grips (the drag handles) are children without text: skip them.
      const para = this.paragraphs[Number(element.dataset.p)];
      for (let i = offset; i < element.children.length; i++) {
        const child = element.children[i];
        if (child.dataset.s !== undefined) return Number(child.dataset.s);
      }
      return para.end;
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

  domPoint(unit) {
    // The DOM position (text node, offset) of a UTF-16 offset, or null.
    const p = this.textRoot.querySelector(`p[data-p="${this.paragraphIndex(unit)}"]`);
    if (!p) return null;
    let last = null;
    for (const piece of p.querySelectorAll("span[data-s]")) {
      const s = Number(piece.dataset.s);
      const length = piece.firstChild ? piece.firstChild.length : 0;
      if (unit >= s && unit < s + length) return [piece.firstChild, unit - s];
      last = piece;
    }
    return last && last.firstChild ? [last.firstChild, last.firstChild.length] : null;
  }

  pointToCodePoint(x, y) {
    // The text position under the pointer (code points), or null.
    let node = null;
    let offset = 0;
    if (document.caretPositionFromPoint) {
      const position = document.caretPositionFromPoint(x, y);
      if (position) [node, offset] = [position.offsetNode, position.offset];
    } else if (document.caretRangeFromPoint) {
      const range = document.caretRangeFromPoint(x, y);
      if (range) [node, offset] = [range.startContainer, range.startOffset];
    }
    if (!node || !this.textRoot.contains(node)) return null;
    const unit = this.unitAt(node, offset);
    return unit === null ? null : this.offsets.toCodePoints(unit);
  }

  // ---- The keyboard caret ----------------------------------------------------
  // A word boundary in code points: ``anchor`` where a selection started,
  // ``focus`` where it ends; collapsed (equal) it is shown on the next word.

  caretWord() {
    // The word the collapsed caret stands before, in UTF-16 units, or null.
    if (!this.caret || this.caret.anchor !== this.caret.focus) return null;
    const start = tokenEdge(this.tokens, this.caret.focus - 1, 0, 1);
    if (start === null) return null;
    const end = tokenEdge(this.tokens, start, 1, 1);
    return end === null ? null : [this.offsets.toUnits(start), this.offsets.toUnits(end)];
  }

  showCaret(on) {
    // Shown or hidden by a class, without re-rendering: a blur caused by a
    // click on a highlight must not replace the element being clicked.
    this.caretShown = on;
    this.textRoot.classList.toggle("caret-on", on);
    if (on && !this.caret) {
      const first = this.tokens.length ? this.tokens[0] : 0;
      this.caret = { anchor: first, focus: first };
      this.redrawCaret(null);
    }
  }

  redrawCaret(before) {
    const now = this.caretWord();
    if (before) this.rerender(before[0], before[1]);
    if (now) {
      this.rerender(now[0], now[1]);
      const mark = this.textRoot.querySelector(".kb-caret");
      if (mark) mark.scrollIntoView({ block: "nearest" });
    }
  }

  placeCaret(cp) {
    // Collapse the caret at the start of the word at or after ``cp``.
    const before = this.caretWord();
    const start = tokenEdge(this.tokens, cp - 1, 0, 1);
    const at = start === null ? cp : start;
    this.caret = { anchor: at, focus: at };
    this.redrawCaret(before);
  }

  moveCaret(direction, extend) {
    // Arrows: a word left or right. Shift+arrows: move the focus to the
    // next word's end (right) or the previous word's start (left), and
    // select from the anchor to it (the selection a tag's key then tags).
    if (!this.caretShown) {
      // The first arrow after a click shows the caret where the click was.
      this.showCaret(true);
      return;
    }
    const { anchor, focus } = this.caret;
    if (!extend) {
      const base = anchor === focus ? focus : direction > 0 ? Math.max(anchor, focus) : Math.min(anchor, focus);
      const next = anchor === focus ? tokenEdge(this.tokens, base, 0, direction) : tokenEdge(this.tokens, base - 1, 0, 1);
      window.getSelection().removeAllRanges();
      this.placeCaret(next === null ? base : next);
      return;
    }
    const next = tokenEdge(this.tokens, focus, direction > 0 ? 1 : 0, direction);
    if (next === null) return;
    const before = this.caretWord();
    this.caret = { anchor, focus: next };
    this.redrawCaret(before);
    this.selectCodePoints(Math.min(anchor, next), Math.max(anchor, next));
  }

  selectCodePoints(start, end) {
    // Make [start, end) the page's selection (empty: no selection).
    const selection = window.getSelection();
    selection.removeAllRanges();
    if (start >= end) return;
    const from = this.domPoint(this.offsets.toUnits(start));
    const to = this.domPoint(this.offsets.toUnits(end));
    if (!from || !to) return;
    const range = document.createRange();
    range.setStart(from[0], from[1]);
    range.setEnd(to[0], to[1]);
    selection.addRange(range);
  }

  quoteOf(start, end) {
    return this.text.slice(this.offsets.toUnits(start), this.offsets.toUnits(end));
  }
}
