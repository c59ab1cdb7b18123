// The document list's assignment bar: a header box ticks every row of the
// page, and the bar says how many are ticked. Without JavaScript the rows
// can still be ticked one by one, or "All matching" chosen.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-select-all]");
  const rows = () => document.querySelectorAll('input[name="documents"][form="bulk-assign"]');
  const count = document.querySelector("[data-selected-count]");
  const update = () => {
    const boxes = Array.from(rows());
    const ticked = boxes.filter((box) => box.checked).length;
    if (count) count.textContent = String(ticked);
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
  };
  if (all) {
    all.addEventListener("change", () => {
      for (const box of rows()) box.checked = all.checked;
      update();
    });
  }
  document.addEventListener("change", (event) => {
    if (event.target.matches && event.target.matches('input[name="documents"]')) update();
  });
  update();
});
