// Panels: the annotation detail (tags, note, status, claims, comments), the
// suggestion list and the layer filter.

import { api, describeError } from "./api.js";
import { $, el } from "./dom.js";

export class PanelsMethods {
  labelIn(choices, value) {
    // The label of ``value`` in a server choice list ([[value, label]]).
    const found = (choices || []).find(([v]) => v === value);
    return found ? found[1] : value;
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
    body.append(el("p", { class: "muted small-print", text: `By ${a.author} · ${this.labelIn(this.data.origins, a.origin)} · ${this.labelIn(this.data.statusLabels, a.status)} · version ${a.version} · offsets ${a.start}–${a.end}` }));

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
      // The statuses this user may set (the server leaves out the reviewers'
      // ones for analysts).
      const choices = this.data.statusChoices || [];
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
      const types = this.choices.claimant_types || { choices: [], default: "" };
      for (const [v, l] of types.choices) ctype.append(el("option", { value: v, text: l }));
      const suggestedType = this.suggestedClaimantType(a);
      ctype.value = types.choices.some(([v]) => v === suggestedType) ? suggestedType : types.default;
      const evidence = el("select", { id: eid });
      for (const [v, l] of this.choices.evidence_statuses || []) evidence.append(el("option", { value: v, text: l }));
      if (a.tag_keys.includes("no_evidence_provided")) evidence.value = "not_provided";
      const figures = this.figureRows(a);
      form.append(el("h4", { text: "Or start a new claim" }),
        el("label", { for: pid, text: "Proposition (one sentence)" }), proposition,
        el("label", { for: cid, text: "Claimant" }), claimant,
        el("label", { for: tid, text: "Claimant type" }), ctype,
        el("label", { for: eid, text: "Evidence status" }), evidence,
        figures.node,
        el("button", { type: "submit", class: "small primary" }, "Create claim and attach"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          await this.save("claim", () => api("POST", this.data.api.claims, {
            project: this.data.project, proposition: proposition.value, claimant: claimant.value,
            claimant_type: ctype.value, evidence_status: evidence.value, annotation: a.id,
            quantities: figures.read(),
          }));
          await this.refreshClaims(a.id);
        } catch (_) { /* shown */ }
      });
      area.append(form);
    });
    return box;
  }

  figureRows(a) {
    // The figures the analysis found inside the annotation (casualty counts
    // and the like), pre-filled as the claim's quantities: each can be
    // corrected or left out before the claim is made.
    const found = (this.data.quantities || []).filter((q) => q.start >= a.start && q.end <= a.end);
    const node = el("fieldset", { class: "claim-figures" }, el("legend", { text: "Figures" }));
    if (!found.length) {
      node.append(el("p", { class: "muted small-print", text: "The analysis found no figure in these words." }));
      return { node, read: () => [] };
    }
    const rows = found.map((q, i) => {
      const base = `claim-fig-${a.id}-${i}`;
      const keep = el("input", { type: "checkbox", id: `${base}-keep`, checked: true });
      const value = el("input", { type: "number", id: `${base}-value`, min: 0, step: 1, required: true, value: q.value });
      const counts = el("select", { id: `${base}-counts` });
      for (const [v, l] of this.choices.quantity_counts || []) counts.append(el("option", { value: v, text: l }));
      counts.value = q.counts;
      const bound = el("select", { id: `${base}-bound` });
      for (const [v, l] of this.choices.quantity_bounds || []) bound.append(el("option", { value: v, text: l }));
      bound.value = q.bound;
      const cumulative = el("input", { type: "checkbox", id: `${base}-cumulative`, checked: !!q.cumulative });
      node.append(el("div", { class: "figure-row", "data-figure": q.text },
        el("div", { class: "check" }, keep, el("label", { for: keep.id, text: `Keep “${q.text}”` })),
        el("label", { for: bound.id, text: "Bound" }), bound,
        el("label", { for: value.id, text: "Figure" }), value,
        el("label", { for: counts.id, text: "Counts" }), counts,
        el("div", { class: "check" }, cumulative, el("label", { for: cumulative.id, text: "Running total" }))));
      return { keep, value, counts, bound, cumulative };
    });
    const read = () => rows.filter((r) => r.keep.checked).map((r) => ({
      value: Number(r.value.value), counts: r.counts.value, bound: r.bound.value, cumulative: r.cumulative.checked,
    }));
    return { node, read };
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
    for (const [v, l] of this.choices.evidence_statuses || []) evidence.append(el("option", { value: v, text: l }));
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
    // Built once; j/k, decisions and undo then touch single items. The first
    // items are built before the page is ready, the rest just after, a
    // chunk at a time, so hundreds of suggestions do not delay the page;
    // ensureRendered builds any an action reaches first.
    const list = $("#suggestions");
    this.items = new Map();
    this.rendered = 0; // suggestions[0 .. rendered) have their <li>
    list.replaceChildren();
    this.renderMore(40);
    this.suggestionsChanged();
    this.markCurrent(true);
    const more = () => {
      if (this.rendered >= this.suggestions.length) return;
      this.renderMore(80);
      setTimeout(more, 0);
    };
    setTimeout(more, 0);
  }

  renderMore(count) {
    const end = Math.min(this.suggestions.length, this.rendered + count);
    if (end <= this.rendered) return;
    const fragment = document.createDocumentFragment();
    for (let i = this.rendered; i < end; i++) {
      const s = this.suggestions[i];
      const item = this.suggestionItem(s);
      this.items.set(s.id, item);
      fragment.append(item);
    }
    this.rendered = end;
    $("#suggestions").append(fragment);
  }

  ensureRendered(index) {
    if (index >= this.rendered) this.renderMore(index + 1 - this.rendered);
  }

  suggestionsChanged() {
    $("#suggestion-count").textContent = this.suggestions.length;
    const list = $("#suggestions");
    const empty = list.querySelector("li.empty");
    if (!this.suggestions.length && !empty) list.append(el("li", { class: "muted empty", text: "No suggestions waiting." }));
    if (this.suggestions.length && empty) empty.remove();
  }

  markCurrent(on) {
    this.ensureRendered(this.current);
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
    this.rerenderRanges([old, now]);
    const item = this.markCurrent(true);
    if (item && moveFocus) item.focus({ preventScroll: true });
    if (item) item.scrollIntoView({ block: "nearest" });
    const words = this.focusRange();
    const para = words ? this.textRoot.querySelector(`p[data-p="${this.paragraphIndex(words[0])}"]`) : null;
    const mark = para && para.querySelector(".sg-focus");
    if (mark) mark.scrollIntoView({ block: "center" });
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
      // Its paragraph is re-rendered below with the suggestion's.
      if (index < 0) this.rerender(local.u0, local.u1);
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
    if (index < this.rendered) this.rendered -= 1;
    if (index < this.current) this.current -= 1;
    if (this.current >= this.suggestions.length) this.current = Math.max(0, this.suggestions.length - 1);
    // Each paragraph touched is re-rendered once.
    this.rerenderRanges([[Math.min(s.u0, s.c0), Math.max(s.u1, s.c1)], old, this.contextRange(), local && [local.u0, local.u1]]);
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
    if (index <= this.rendered) {
      // Inside the items built so far (else a later chunk builds it).
      const item = this.suggestionItem(s);
      this.items.set(s.id, item);
      const next = this.suggestions[index + 1];
      $("#suggestions").insertBefore(item, next ? this.items.get(next.id) || null : null);
      this.rendered += 1;
    }
    this.suggestionsChanged();
    if (index <= this.current && this.suggestions.length > 1) this.current += 1;
    this.focusSuggestion(index, true);
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
}
