// Score sheets save item by item with htmx; this keeps what is not saved yet in
// localStorage (keyed by application, stage and criterion), shows when the network failed,
// retries when the browser is back online, and restores unsaved values after a reload.
// Texts come from data-text-* attributes of #score-sheet (translated by the template).
(function () {
  "use strict";

  const sheet = () => document.getElementById("score-sheet");
  const text = (name) => (sheet() && sheet().dataset[name]) || "";
  const autosaveForm = (element) =>
    element && element.closest ? element.closest("form[data-autosave-key]") : null;

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // private mode or disabled: autosave still works, only without the copy
    }
  }

  function valuesOf(form) {
    const checked = form.querySelector("input[name=percentage]:checked");
    return {
      percentage: checked ? checked.value : "",
      strengths: form.elements.strengths.value,
      opportunities: form.elements.opportunities.value,
    };
  }

  function same(a, b) {
    return (
      a.percentage === b.percentage &&
      a.strengths === b.strengths &&
      a.opportunities === b.opportunities
    );
  }

  function remember(form) {
    const store = storage();
    if (!store) return;
    const entry = { values: valuesOf(form), at: Date.now() };
    try {
      store.setItem(form.dataset.autosaveKey, JSON.stringify(entry));
    } catch (error) {
      // Storage full: the server copy is still what the status says it is.
    }
  }

  function forget(form) {
    const store = storage();
    if (store) store.removeItem(form.dataset.autosaveKey);
  }

  function recalled(form) {
    const store = storage();
    if (!store) return null;
    try {
      return JSON.parse(store.getItem(form.dataset.autosaveKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function showStatus(form, message, kind) {
    const status = form.querySelector(".score-status");
    if (!status) return;
    const span = document.createElement("span");
    span.className = kind === "error" ? "text-danger" : "text-warning-emphasis";
    span.dataset.status = kind;
    span.textContent = message;
    status.replaceChildren(span);
  }

  function markPending(form) {
    form.dataset.pending = "true";
    form.classList.add("score-pending");
    showStatus(form, text("textOffline"), "offline");
  }

  function clearPending(form) {
    delete form.dataset.pending;
    form.classList.remove("score-pending");
  }

  function retry(form) {
    if (window.htmx) window.htmx.trigger(form, "retry");
  }

  function retryPending() {
    document.querySelectorAll("form[data-autosave-key][data-pending]").forEach(retry);
  }

  // Every edit is kept locally until the server has confirmed exactly these values.
  ["input", "change"].forEach((type) => {
    document.addEventListener(type, (event) => {
      const form = autosaveForm(event.target);
      if (form) remember(form);
    });
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = autosaveForm(event.detail.elt);
    if (form) form.dataset.sentValues = JSON.stringify(valuesOf(form));
  });

  // A refusal with its reason (400 bad input, 409 refused now) replaces the item's status.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (autosaveForm(event.detail.elt) && (status === 400 || status === 409)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = autosaveForm(event.detail.elt);
    if (!form) return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 200 && status < 300) {
      clearPending(form);
      const sent = JSON.parse(form.dataset.sentValues || "null");
      if (sent && same(sent, valuesOf(form))) forget(form);
    } else if (status === 400 || status === 409) {
      clearPending(form); // the server answered; what it said is shown next to the item
    }
  });

  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach((type) => {
    document.addEventListener(type, (event) => {
      const form = autosaveForm(event.detail.elt);
      if (form) {
        remember(form);
        markPending(form);
      }
    });
  });

  window.addEventListener("online", retryPending);

  function restore(form, entry) {
    const values = entry.values || {};
    const radio = form.querySelector(
      `input[name=percentage][value="${CSS.escape(values.percentage || "")}"]`,
    );
    form.querySelectorAll("input[name=percentage]").forEach((input) => {
      input.checked = input === radio;
    });
    form.elements.strengths.value = values.strengths || "";
    form.elements.opportunities.value = values.opportunities || "";
  }

  function init() {
    const container = sheet();
    if (!container) return;
    const store = storage();
    if (container.dataset.readonly && store) {
      // Nothing can be saved any more (submitted or signed): drop stale local copies.
      const prefix = container.dataset.autosavePrefix;
      Object.keys(store)
        .filter((key) => key.startsWith(prefix))
        .forEach((key) => store.removeItem(key));
      return;
    }
    container.querySelectorAll("form[data-autosave-key]").forEach((form) => {
      const entry = recalled(form);
      if (!entry) return;
      const savedAt = Number(form.dataset.savedAt || "0") * 1000;
      if (entry.at <= savedAt || same(entry.values || {}, valuesOf(form))) {
        forget(form); // the server already holds these values, or newer ones
        return;
      }
      restore(form, entry);
      form.dataset.pending = "true";
      form.classList.add("score-pending");
      showStatus(form, text("textRestored"), "restored");
    });
    if (navigator.onLine) window.setTimeout(retryPending, 0);
  }

  // Loaded with defer: wait until htmx has processed the page before restoring and retrying.
  if (document.readyState === "complete") {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
