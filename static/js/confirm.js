// Ask before destructive form submissions: <form data-confirm="Delete ...?">.
// Kept in a file because the Content-Security-Policy forbids inline handlers.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
