// Forms that must not be sent twice (<form class="once">): uploads, captures,
// invitations. After the first submission the buttons are disabled and say
// what is happening; a second click or Enter does nothing. In a file because
// the Content-Security-Policy forbids inline handlers.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("once")) {
    return;
  }
  if (form.dataset.sending === "1") {
    event.preventDefault();
    return;
  }
  if (event.defaultPrevented) {
    return; // cancelled (e.g. a declined confirmation): stays usable
  }
  form.dataset.sending = "1";
  form.setAttribute("aria-busy", "true");
  // The clicked button's name and value still go with the form once it is
  // disabled (a disabled button is left out of what the form sends).
  const submitter = event.submitter;
  if (submitter && submitter.name) {
    const carried = document.createElement("input");
    carried.type = "hidden";
    carried.name = submitter.name;
    carried.value = submitter.value;
    carried.dataset.carried = "1";
    form.appendChild(carried);
  }
  for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) {
    button.dataset.label = button.textContent;
    button.disabled = true;
    button.textContent = button.dataset.busy || "Sending…";
  }
});
// Back/forward cache: a page shown again must be usable again.
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form.once[data-sending]")) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    for (const carried of form.querySelectorAll("input[data-carried]")) {
      carried.remove();
    }
    for (const button of form.querySelectorAll("button[data-label]")) {
      button.disabled = false;
      button.textContent = button.dataset.label;
    }
  }
});
