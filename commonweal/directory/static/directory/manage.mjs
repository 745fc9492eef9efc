// 'When it runs': an "Add another time" button that copies the last blank line of days and times.
// Without JavaScript the form already has a blank line, and saving gives another.

const MAX_ROWS = 14;

function renumber(row, from, to) {
  const old = `when-${from}-`;
  const now = `when-${to}-`;
  for (const element of row.querySelectorAll("[id], [name], [for], [aria-describedby]")) {
    for (const attribute of ["id", "name", "for", "aria-describedby"]) {
      const value = element.getAttribute(attribute);
      if (value && value.includes(old)) element.setAttribute(attribute, value.split(old).join(now));
    }
  }
  const legend = row.querySelector("legend");
  if (legend) legend.textContent = legend.textContent.replace(String(from), String(to));
}

function clear(row) {
  for (const input of row.querySelectorAll("input")) {
    if (input.type === "checkbox") input.checked = false;
    else input.value = "";
  }
  for (const message of row.querySelectorAll(".govuk-error-message")) message.remove();
  for (const group of row.querySelectorAll(".govuk-form-group--error")) group.classList.remove("govuk-form-group--error");
  for (const input of row.querySelectorAll(".govuk-input--error")) input.classList.remove("govuk-input--error");
}

function enhance(fieldset) {
  const count = fieldset.querySelector("[data-schedule-count]");
  if (!count) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary";
  button.textContent = "Add another time";
  fieldset.appendChild(button);
  button.addEventListener("click", () => {
    const rows = fieldset.querySelectorAll("[data-schedule-row]");
    const last = rows[rows.length - 1];
    const number = rows.length;
    if (number >= MAX_ROWS) {
      button.hidden = true;
      return;
    }
    const copy = last.cloneNode(true);
    renumber(copy, number, number + 1);
    clear(copy);
    last.after(copy);
    count.value = String(number + 1);
    const first = copy.querySelector("input");
    if (first) first.focus();
    if (number + 1 >= MAX_ROWS) button.hidden = true;
  });
}

for (const fieldset of document.querySelectorAll("[data-schedule-rows]")) enhance(fieldset);
