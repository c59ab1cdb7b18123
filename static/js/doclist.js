// The document list's assignment bar: a header box ticks every row of the
// page, and the bar says how many are ticked. Without JavaScript the rows
// can still be ticked one by one, or "All matching" chosen. htmx swaps the
// results (filters, pages, assignments), so everything is looked up when it
// is used, from listeners on the document.
const rows = () => document.querySelectorAll('input[name="documents"][form="bulk-assign"]');

function update() {
  const all = document.querySelector("[data-select-all]");
  const count = document.querySelector("[data-selected-count]");
  const boxes = Array.from(rows());
  const ticked = boxes.filter((box) => box.checked).length;
  if (count) count.textContent = String(ticked);
  if (all) {
    all.checked = ticked > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
}

document.addEventListener("change", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement)) return;
  if (target.matches("[data-select-all]")) {
    for (const box of rows()) box.checked = target.checked;
    update();
  } else if (target.matches('input[name="documents"]')) {
    update();
  }
});
document.addEventListener("DOMContentLoaded", update);
document.addEventListener("htmx:afterSettle", update);
