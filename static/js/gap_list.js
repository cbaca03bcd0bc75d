// Reconciliation gap list: filter, sort, totals of the rows shown, and one decision form
// that decides every ticked gap, or opens in place under one gap ("Decide" on its row).
document.addEventListener("DOMContentLoaded", function () {
  const table = document.getElementById("gaps");
  const filters = document.getElementById("gap-filters");
  if (!table || !filters) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.querySelectorAll("tr.gap"));
  const panel = document.getElementById("decide-panel");
  const home = panel && panel.parentNode;
  const homeNext = panel && panel.nextSibling;
  const all = document.getElementById("gap-all");
  const whole = new Intl.NumberFormat("en-GB", {maximumFractionDigits: 0});
  let sortField = null, sortDir = 1, inPlace = null;

  filters.hidden = false;
  filters.querySelectorAll("select[data-field]").forEach(function (select) {
    const field = select.dataset.field;
    if (select.options.length > 1) return;  // kinds and statuses are listed in the page
    const values = new Set();
    rows.forEach(function (r) {
      (field === "regions" ? r.dataset.regions.split(", ") : [r.dataset[field]])
        .filter(Boolean).forEach(function (v) { values.add(v); });
    });
    Array.from(values).sort().forEach(function (v) { select.add(new Option(v, v)); });
  });

  function shown(row) { return !row.hidden; }

  function matches(row) {
    const words = document.getElementById("gap-search").value.trim().toLowerCase();
    if (words && !row.textContent.toLowerCase().includes(words)) return false;
    return Array.from(filters.querySelectorAll("select[data-field]")).every(function (s) {
      if (!s.value) return true;
      const have = row.dataset[s.dataset.field];
      return s.dataset.field === "regions" ? have.split(", ").includes(s.value) : have === s.value;
    });
  }

  function refresh() {
    let units = 0, revenue = 0, count = 0;
    rows.forEach(function (row) {
      row.hidden = !matches(row);
      if (row.hidden) {
        const box = row.querySelector("input[name=gap_key]");
        if (box) box.checked = false;
        return;
      }
      count += 1;
      units += parseFloat(row.dataset.units) || 0;
      revenue += parseFloat(row.dataset.revenue) || 0;
    });
    document.getElementById("gap-total-units").textContent = whole.format(units);
    document.getElementById("gap-total-revenue").textContent = whole.format(revenue);
    document.getElementById("gap-totals-label").textContent =
      "Total of " + count + " gap(s) shown" + (count < rows.length ? " of " + rows.length : "");
    selectionChanged();
  }

  function sortBy(field, numeric) {
    sortDir = sortField === field ? -sortDir : 1;
    sortField = field;
    const value = function (row) {
      const v = row.dataset[field] || "";
      return numeric ? (v === "" ? -Infinity : parseFloat(v)) : v.toLowerCase();
    };
    rows.sort(function (a, b) {
      const x = value(a), y = value(b);
      return (x < y ? -1 : x > y ? 1 : 0) * sortDir;
    });
    closeInPlace();
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      th.setAttribute("aria-sort", th.dataset.sort === field
        ? (sortDir > 0 ? "ascending" : "descending") : "none");
    });
  }

  function ticked() {
    return rows.filter(function (r) {
      const box = r.querySelector("input[name=gap_key]");
      return box && box.checked;
    });
  }

  function selectionChanged() {
    if (!panel) return;
    const n = ticked().length;
    const what = document.getElementById("decide-what");
    panel.classList.toggle("floating", n > 0 && !inPlace);  // stays in sight while ticking
    if (inPlace) return;
    what.innerHTML = "";
    const strong = document.createElement("strong");
    strong.textContent = n ? n + " gap(s) ticked" : "Tick the gaps to decide together";
    what.appendChild(strong);
    what.appendChild(document.createTextNode(n ? ": one decision and one rationale for all." : ", or use Decide on a gap's row."));
    document.getElementById("decide-submit").textContent =
      n > 1 ? "Decide " + n + " gaps" : "Record decision";
    document.getElementById("decide-submit").disabled = n === 0;
  }

  function setField(name, value) {
    const field = panel.querySelector("[name=" + name + "]");
    if (field && value !== undefined) field.value = value;
  }

  function closeInPlace() {
    if (!inPlace) return;
    inPlace.remove();
    inPlace = null;
    home.insertBefore(panel, homeNext);
    document.getElementById("decide-cancel").hidden = true;
    panel.classList.remove("in-place");
    selectionChanged();
  }

  function openInPlace(row) {
    closeInPlace();
    rows.forEach(function (r) {
      const box = r.querySelector("input[name=gap_key]");
      if (box) box.checked = r === row;
    });
    inPlace = document.createElement("tr");
    inPlace.className = "decide-row";
    const cell = inPlace.insertCell();
    cell.colSpan = row.cells.length;
    cell.appendChild(panel);
    row.after(inPlace);
    panel.classList.add("in-place");
    panel.classList.remove("floating");
    const what = document.getElementById("decide-what");
    what.textContent = row.title;
    setField("decision", row.dataset.decision || panel.querySelector("[name=decision]").options[0].value);
    if (row.dataset.owner) setField("owner", row.dataset.owner);
    setField("rationale", row.dataset.rationale || "");
    setField("expected_impact", row.dataset.impact || "");
    document.getElementById("decide-submit").textContent = "Record decision";
    document.getElementById("decide-submit").disabled = false;
    document.getElementById("decide-cancel").hidden = false;
    panel.querySelector("[name=decision]").focus();
  }

  filters.addEventListener("input", refresh);
  table.querySelectorAll("th[data-sort]").forEach(function (th) {
    th.classList.add("sortable");
    th.tabIndex = 0;
    const go = function () { sortBy(th.dataset.sort, th.hasAttribute("data-numeric")); };
    th.addEventListener("click", go);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
  });
  body.addEventListener("change", function (e) {
    if (e.target.name === "gap_key") { closeInPlace(); selectionChanged(); }
  });
  body.addEventListener("click", function (e) {
    const button = e.target.closest("button.decide-one");
    if (button) openInPlace(button.closest("tr.gap"));
  });
  if (all) all.addEventListener("change", function () {
    closeInPlace();
    rows.filter(shown).forEach(function (r) {
      r.querySelector("input[name=gap_key]").checked = all.checked;
    });
    selectionChanged();
  });
  if (panel) document.getElementById("decide-cancel").addEventListener("click", function () {
    rows.forEach(function (r) { r.querySelector("input[name=gap_key]").checked = false; });
    closeInPlace();
  });
  refresh();
});
