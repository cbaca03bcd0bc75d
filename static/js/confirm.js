// A form (or its submit button) with data-confirm="..." asks that question before it is sent.
// A button with data-requires="<field id>" is not sent while that field is blank: the field
// is marked, its help says why (data-requires-message) and it takes the focus.
document.addEventListener("submit", function (event) {
  const button = event.submitter;
  const needed = button && button.dataset.requires && document.getElementById(button.dataset.requires);
  if (needed && !needed.value.trim()) {
    event.preventDefault();
    needed.setAttribute("aria-invalid", "true");
    const help = needed.getAttribute("aria-describedby") && document.getElementById(needed.getAttribute("aria-describedby"));
    if (help && button.dataset.requiresMessage) help.textContent = button.dataset.requiresMessage;
    needed.focus();
    return;
  }
  const question = (button && button.dataset.confirm) || (event.target.dataset && event.target.dataset.confirm);
  if (question && !window.confirm(question)) event.preventDefault();
}, true);
