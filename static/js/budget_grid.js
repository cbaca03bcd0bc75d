// Budget grid: year totals of what is typed, kept live, and spreadsheet-like moves
// (arrow keys, Enter) between the cells of one table.
document.addEventListener("DOMContentLoaded", function () {
  const grid = document.getElementById("budget-grid");
  if (!grid) return;
  const whole = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 0});
  const rows = Array.from(grid.tBodies[0].rows);
  const inputsOf = function (row) {
    return Array.from(row.querySelectorAll("input:not([type=hidden])"));
  };

  function total(row) {
    let sum = 0, any = false;
    inputsOf(row).forEach(function (input) {
      const text = (input.value || input.placeholder || "").replace(/[,\s]/g, "");
      if (text !== "" && !isNaN(text)) { sum += parseFloat(text); any = true; }
    });
    row.querySelector(".year-budget").textContent = any ? whole.format(sum) : "–";
  }

  function move(input, dRow, dCol) {
    const row = input.closest("tr");
    const col = inputsOf(row).indexOf(input);
    const next = rows[rows.indexOf(row) + dRow];
    const target = dRow ? next && inputsOf(next)[col] : inputsOf(row)[col + dCol];
    if (target) { target.focus(); target.select(); return true; }
    return false;
  }

  rows.forEach(total);
  grid.addEventListener("input", function (e) { total(e.target.closest("tr")); });
  grid.addEventListener("keydown", function (e) {
    const input = e.target;
    if (input.tagName !== "INPUT") return;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    const moves = {
      ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [e.shiftKey ? -1 : 1, 0],
      ArrowLeft: atStart ? [0, -1] : null, ArrowRight: atEnd ? [0, 1] : null,
    };
    const step = moves[e.key];
    if (step && move(input, step[0], step[1])) e.preventDefault();
    else if (e.key === "Enter") e.preventDefault();  // Enter moves; Save budget saves
  });
});
