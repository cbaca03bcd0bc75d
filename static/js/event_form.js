// The event form shows only the fields of the chosen kind of event (data-kinds on their line);
// the others are disabled too, so they are not sent.
(function () {
  const form = document.getElementById("event-form");
  if (!form) return;
  const kind = form.elements.kind;
  function show() {
    for (const line of form.querySelectorAll("[data-kinds]")) {
      const used = line.dataset.kinds.split(" ").includes(kind.value);
      line.hidden = !used;
      for (const field of line.querySelectorAll("input, select, textarea")) field.disabled = !used;
    }
  }
  kind.addEventListener("change", show);
  show();
})();
