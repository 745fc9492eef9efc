// Autosave for the application form: after a pause in typing, post the form (without its files) to the
// autosave address and say "Saved at 14:32" in a polite live region. Without JavaScript the
// "Save and come back later" button does the same job.

const PAUSE_MS = 1200;

function fieldMessage(form, name) {
  const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
  if (!input) return null;
  const group = input.closest(".govuk-form-group");
  if (!group) return null;
  let message = group.querySelector("[data-autosave-error]");
  if (!message) {
    message = document.createElement("p");
    message.className = "govuk-error-message";
    message.dataset.autosaveError = "";
    message.id = `${input.id}-autosave-error`;
    const anchor = group.querySelector("input, textarea, select, .govuk-radios, .govuk-checkboxes");
    if (anchor) group.insertBefore(message, anchor);
    else group.appendChild(message);
  }
  return message;
}

function showProblems(form, errors) {
  for (const old of form.querySelectorAll("[data-autosave-error]")) old.remove();
  for (const [name, text] of Object.entries(errors || {})) {
    const message = fieldMessage(form, name);
    if (!message) continue;
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = "Error: ";
    message.replaceChildren(hidden, document.createTextNode(text));
  }
}

function enhance(form) {
  const url = form.dataset.autosave;
  const status = form.querySelector("[data-autosave-status]");
  if (!url || !status) return;
  let timer = null;
  let sending = false;
  let again = false;

  async function save() {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    const data = new FormData(form);
    for (const input of form.querySelectorAll('input[type="file"]')) data.delete(input.name);
    data.delete("remove_file");
    try {
      const response = await fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok && body.saved_at) {
        status.textContent = `Saved at ${body.saved_at}`;
        showProblems(form, body.errors);
      } else {
        status.textContent = body.error || "Your latest changes are not saved yet. Use 'Save and come back later'.";
      }
    } catch {
      status.textContent = "Your latest changes are not saved yet. Use 'Save and come back later'.";
    } finally {
      sending = false;
      if (again) {
        again = false;
        save();
      }
    }
  }

  function later(event) {
    if (event.target && event.target.type === "file") return;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, PAUSE_MS);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
}

for (const form of document.querySelectorAll("form[data-autosave]")) enhance(form);
