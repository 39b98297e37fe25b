// The portal's own behaviour; no inline scripts (CSP).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // One click, one submission: disable submit buttons once the form is on its way.
  if (!event.defaultPrevented) {
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach((button) => {
      window.setTimeout(() => { button.disabled = true; }, 0);
    });
  }
});

// Staff sessions end after a while without a request: warn a few minutes before. The server
// decides; this only tells. Every htmx request counts as activity, so it restarts the clock.
(() => {
  const warning = document.getElementById("idle-warning");
  if (!warning) {
    return;
  }
  const delay = Number(warning.dataset.warnAfterMinutes) * 60 * 1000;
  let timer;
  const restart = () => {
    warning.classList.add("d-none");
    window.clearTimeout(timer);
    timer = window.setTimeout(() => warning.classList.remove("d-none"), delay);
  };
  document.body.addEventListener("htmx:afterRequest", restart);
  restart();
})();

// Typing into a form and leaving the page without saving asks first. Forms that save by
// themselves (htmx autosave) and search filters (GET) are left out; sending a form clears it.
(() => {
  let dirty = null;
  const watched = (form) =>
    form instanceof HTMLFormElement &&
    form.method.toLowerCase() === "post" &&
    !form.hasAttribute("hx-post") &&
    !form.hasAttribute("data-no-unsaved-warning");
  document.addEventListener("input", (event) => {
    const form = event.target.form;
    if (form && watched(form)) {
      dirty = form;
    }
  });
  document.addEventListener("submit", () => { dirty = null; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && document.body.contains(dirty)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
