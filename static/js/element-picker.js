// A searchable picker over a long <select> (the legal elements of the
// assessment form): a search field above it hides the options whose text
// does not contain every word typed (code, key or question), and picks the
// one left when a single option matches. Progressive enhancement: without
// JavaScript the plain <select> works; the options come from the server.
//
// Enhances every select[data-picker] on load and in content htmx swaps in.

function words(text) {
  return text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
}

function enhance(select) {
  if (select.dataset.pickerReady) return;
  select.dataset.pickerReady = "true";
  const id = `${select.id || "picker"}-search`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = select.dataset.pickerLabel || "Find by words";
  const input = document.createElement("input");
  input.type = "search";
  input.id = id;
  input.autocomplete = "off";
  input.className = "picker-search";
  input.setAttribute("aria-controls", select.id);
  const status = document.createElement("p");
  status.className = "muted small-print picker-status";
  status.setAttribute("role", "status");
  const options = [...select.options].filter((option) => option.value);
  const filter = () => {
    const wanted = words(input.value);
    let shown = 0;
    let last = null;
    for (const option of options) {
      const text = option.textContent.toLocaleLowerCase();
      const match = wanted.every((word) => text.includes(word));
      option.hidden = !match;
      option.disabled = !match;
      if (match) {
        shown += 1;
        last = option;
      }
    }
    for (const group of select.querySelectorAll("optgroup")) {
      group.hidden = ![...group.children].some((option) => !option.hidden);
    }
    if (!wanted.length) status.textContent = "";
    else if (!shown) status.textContent = "No element matches these words.";
    else status.textContent = `${shown} element${shown === 1 ? "" : "s"} match${shown === 1 ? "es" : ""}.`;
    if (shown === 1) select.value = last.value;
    else if (select.selectedOptions[0] && select.selectedOptions[0].hidden) select.value = "";
  };
  input.addEventListener("input", filter);
  input.addEventListener("keydown", (event) => {
    // Enter picks (never submits the form half-filled); Down goes to the list.
    if (event.key === "Enter") {
      event.preventDefault();
      select.focus();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      select.focus();
    }
  });
  const selectLabel = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
  (selectLabel || select).before(label, input, status);
}

function enhanceIn(root) {
  for (const select of root.querySelectorAll("select[data-picker]")) enhance(select);
}

document.addEventListener("htmx:load", (event) => enhanceIn(event.detail.elt));
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => enhanceIn(document));
else enhanceIn(document);
