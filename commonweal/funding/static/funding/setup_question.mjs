// The question form: show the file settings only for a file upload, and the word limit only for text answers.
// Without JavaScript every setting shows, with hints saying which kind of answer each is for; the server
// ignores the ones that do not apply.

function groupOf(id) {
  const input = document.getElementById(id);
  return input ? input.closest(".govuk-form-group") : null;
}

function enhance(form) {
  const kinds = form.querySelectorAll('input[name="kind"]');
  if (!kinds.length) return;
  const fileGroups = [groupOf("id_file_types_0"), groupOf("id_max_file_mb")].filter(Boolean);
  const wordGroup = groupOf("id_word_limit");
  const show = () => {
    const chosen = form.querySelector('input[name="kind"]:checked');
    const kind = chosen ? chosen.value : "";
    for (const group of fileGroups) group.hidden = kind !== "file";
    if (wordGroup) wordGroup.hidden = kind === "file" || kind === "number";
  };
  for (const kind of kinds) kind.addEventListener("change", show);
  show();
}

for (const form of document.querySelectorAll("form[data-question-form]")) enhance(form);
