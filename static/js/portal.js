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
