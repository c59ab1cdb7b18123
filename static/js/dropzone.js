// Drag-and-drop for the upload form: progressive enhancement of a plain
// <input type="file" multiple>. Without JavaScript the input works as is.
// Dropped files are added to those already chosen; the list shows names and
// sizes and flags files over the size limit before they are sent.
(function () {
  "use strict";

  function formatSize(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1048576) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1048576).toFixed(1) + " MB";
  }

  function render(zone, input) {
    var list = zone.querySelector(".dropzone-list");
    var max = parseInt(zone.dataset.maxBytes || "0", 10);
    if (!list) return;
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + formatSize(file.size) + ")";
      if (max && file.size > max) {
        item.className = "error";
        item.textContent += " is over the limit and will be refused";
      }
      list.appendChild(item);
    });
  }

  function setup(zone) {
    var input = zone.querySelector('input[type="file"]');
    if (!input || typeof DataTransfer === "undefined") return;
    var hint = zone.querySelector(".dropzone-hint");
    if (hint) hint.hidden = false;
    zone.classList.add("dropzone-ready");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dropzone-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("dropzone-over");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      var merged = new DataTransfer();
      Array.prototype.forEach.call(input.files, function (f) { merged.items.add(f); });
      Array.prototype.forEach.call(event.dataTransfer.files, function (f) {
        merged.items.add(f);
      });
      input.files = merged.files;
      render(zone, input);
    });
    input.addEventListener("change", function () { render(zone, input); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(setup);
  });
})();
