// Batch files: the progress bars take their width from data-width (no inline style: CSP).
(() => {
  const fill = (root) => {
    root.querySelectorAll(".progress-bar[data-width]").forEach((bar) => {
      bar.style.width = `${Number(bar.dataset.width) || 0}%`;
    });
  };
  fill(document);
  document.body.addEventListener("htmx:afterSwap", () => fill(document));
  document.body.addEventListener("htmx:load", (event) => fill(event.detail.elt.parentNode || document));
})();
