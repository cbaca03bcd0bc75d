// The demand plan grid: ag-grid-community over /api/demand/cycles/<id>/grid/.
// Totals come aggregated from the server; every edit is an override through the API.
(function () {
  "use strict";
  const app = document.getElementById("demand-grid-app");
  if (!app) return;
  const api = app.dataset.api;
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const filters = document.getElementById("grid-filters");
  const toggles = document.getElementById("measure-toggles");
  const dialog = document.getElementById("edit-dialog");
  const form = document.getElementById("edit-form");
  filters.addEventListener("submit", (event) => event.preventDefault());
  const LABELS = {
    actuals: "Actuals", last_year: "Last year", baseline: "Baseline", baseline_low: "Baseline low",
    baseline_high: "Baseline high", events: "Events", override: "Override",
    consensus: "Consensus", previous: "Previous plan", difference: "Difference",
    pipeline: "Pipeline (weighted)", pipeline_learned: "Pipeline (learned)",
  };
  let data = null, grid = null, pending = null, lastReason = "", returnTo = null;
  const cockpit = window.SopGridCockpit;
  const frame = document.getElementById("grid-frame");
  const range = new cockpit.RangeSelection(frame, document.getElementById("range-stats"));
  const panel = new cockpit.SidePanel(document.getElementById("side-panel"), (path) => call(path));
  const refit = cockpit.fitFrame(frame);
  // The ids of the last save, kept for this tab so Ctrl+Z still undoes it after the page reloads
  // (an event saved, a filter form posted).
  const undoKey = "demand-undo:" + api;
  let lastEdit = JSON.parse(sessionStorage.getItem(undoKey) || "null");
  function remember(ids) {
    lastEdit = ids;
    if (ids) sessionStorage.setItem(undoKey, JSON.stringify(ids)); else sessionStorage.removeItem(undoKey);
    const button = document.getElementById("undo");
    if (button) button.disabled = !ids;
  }
  // Expanded rows: parent uid -> {axis, row, rows}. Children come from the server, so totals stay exact.
  const open = new Map();

  function params() {
    const p = new URLSearchParams();
    for (const el of filters.elements) if (el.name && el.value) p.set(el.name, el.value);
    const read = shown().filter((c) => !["actuals", "last_year", "previous", "difference"].includes(c));
    // The parts of the consensus are always read: each consensus cell explains itself on hover.
    p.set("measures", [...new Set([...read, "baseline", "events", "override"])].join(","));
    return p;
  }
  function shown() {
    const on = new Set([...toggles.querySelectorAll("input:checked")].map((i) => i.name));
    const codes = ["actuals", "last_year", "baseline"];
    if (on.has("interval")) codes.push("baseline_low", "baseline_high");
    codes.push("events", "override", "consensus", "pipeline", "pipeline_learned", "previous", "difference");
    return codes.filter((c) => on.has(c) || (on.has("interval") && c.startsWith("baseline_")));
  }
  function message(text, kind) {
    const el = document.getElementById("grid-message");
    el.hidden = !text; el.textContent = text || "";
    el.className = "message message-" + (kind || "info");
    refit(); // the message moves the grid down: it still ends at the window's bottom
  }
  async function call(path, body) {
    const response = await fetch(api + path, {
      method: body ? "POST" : "GET",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const items = json.items ? " " + json.items.join("; ") : "";
      throw new Error((json.detail || JSON.stringify(json)) + items);
    }
    return json;
  }

  function toRows() {
    const rows = [];
    for (const row of data.rows) emit(row, 0, rows);
    return rows;
  }
  function emit(row, depth, rows) {
    shown().forEach((code, index) => {
      const values = row.values[code] || {};
      const out = { id: row.uid + ":" + code, row, code, product: row.product, place: row.place,
        measure: LABELS[code], editable: code === "consensus" && row.editable, depth, first: index === 0 };
      const months = code === "actuals" ? data.actual_months : data.months;
      for (const m of months) out[(code === "actuals" ? "a_" : "h_") + m] = values[m];
      addTotals(out, row, code);
      rows.push(out);
    });
    const children = open.get(row.uid);
    if (children) for (const child of children.rows) emit(child, depth + 1, rows);
  }
  function addTotals(out, row, code) {
    if (code === "actuals") { out.a_total = row.history_total; return; }
    const totals = (row.totals || {})[code];
    if (totals) for (const c of data.total_columns) out["t_" + c.key] = totals[c.key];
  }
  // The whole scope's total, one pinned row per measure shown (previous and difference excepted).
  function totalRows() {
    const row = { ...data.total, uid: "total", filters: {}, product: "Total", place: "" };
    return shown().filter((code) => row.values[code] || code === "consensus").map((code, index) => {
      const out = { id: "total:" + code, row, code, product: index ? "" : "Total", place: "",
        measure: LABELS[code], editable: false, depth: 0, first: false, total: true };
      const months = code === "actuals" ? data.actual_months : data.months;
      for (const m of months) out[(code === "actuals" ? "a_" : "h_") + m] = (row.values[code] || {})[m];
      addTotals(out, row, code);
      return out;
    });
  }
  function allRows() {
    return [...data.rows, ...[...open.values()].flatMap((o) => o.rows)];
  }

  // Collapsible levels: a family opens into its SKUs, a company total into regions, a region into territories.
  function expandable(row, axis) { return axis === "product" ? !row.filters.product : !row.filters.territory; }
  function childParams(row, axis) {
    const p = params(), f = row.filters;
    for (const name of ["family", "product", "region", "territory"]) p.delete(name);
    for (const [name, value] of Object.entries(f)) if (value !== null && value !== undefined) p.set(name, value);
    p.set("product_level", f.product || axis === "product" ? "sku" : "family");
    const place = f.territory ? "territory" : f.region ? "region" : "company";
    p.set("territory_level", axis === "place" ? (f.region ? "territory" : "region") : place);
    return p;
  }
  async function fetchChildren(row, axis) {
    const children = (await call("grid/?" + childParams(row, axis).toString())).rows;
    for (const child of children) child.uid = row.uid + "/" + axis + "-" + child.id;
    open.set(row.uid, { axis, row, rows: children });
  }
  async function toggle(row, axis) {
    const wasOpen = (open.get(row.uid) || {}).axis === axis;
    for (const uid of [...open.keys()]) if (uid === row.uid || uid.startsWith(row.uid + "/")) open.delete(uid);
    if (!wasOpen) {
      try { await fetchChildren(row, axis); } catch (error) { return message(error.message, "error"); }
    }
    grid.setGridOption("rowData", toRows());
    grid.refreshCells({ force: true, columns: ["product", "place"] });
    app.dataset.loaded = String(Date.now());
  }
  async function refreshOpen() {
    const entries = [...open.entries()].sort((a, b) => a[0].length - b[0].length);
    open.clear();
    for (const [uid, entry] of entries) {
      const row = allRows().find((r) => r.uid === uid);
      if (row) await fetchChildren(row, entry.axis);
    }
  }
  function treeCell(axis) {
    return (p) => {
      const el = document.createElement("span");
      el.style.paddingLeft = (p.data.depth * 14) + "px";
      if (p.data.first && expandable(p.data.row, axis)) {
        const isOpen = (open.get(p.data.row.uid) || {}).axis === axis;
        const button = document.createElement("button");
        button.type = "button"; button.className = "toggle"; button.dataset.axis = axis;
        button.textContent = isOpen ? "−" : "+";
        button.setAttribute("aria-label", (isOpen ? "Collapse " : "Expand ") + p.value);
        el.append(button, " ");
      }
      el.append(p.value ?? "");
      return el;
    };
  }
  const CHAR = 7.2; // pixels per digit at the grid's 12px font, separators included
  function width(rows, field, header) { return cockpit.fitWidth(rows, field, header, CHAR); }
  function labelWidth(rows, field, header, extra) {
    const longest = Math.max(header.length, ...rows.map((r) => String(r[field] || "").length));
    return Math.min(220, Math.ceil(longest * 6.6) + extra);
  }
  function columns() {
    const number = (p) => cockpit.whole(p.value);
    const rows = toRows().concat(totalRows()), inRange = (p) => !p.node.rowPinned && range.contains(p.node.rowIndex, p.column.getColId());
    const depth = Math.max(0, ...rows.map((r) => r.depth));
    const cols = [
      { field: "product", headerName: "Product", pinned: "left", width: labelWidth(rows, "product", "Product", 34 + depth * 14),
        cellClass: "drill", cellRenderer: treeCell("product") },
      { field: "place", headerName: "Place", pinned: "left", width: labelWidth(rows, "place", "Place", 34 + depth * 14),
        cellClass: "drill", cellRenderer: treeCell("place") },
      { field: "measure", headerName: "Measure", pinned: "left", width: labelWidth(rows, "measure", "Measure", 22) },
    ];
    // History first, read-only and shaded, so the last actuals sit right before the plan.
    // Closed, it is one column of the last 12 months' sum; opened (the group's arrow), each month.
    if (shown().includes("actuals"))
      cols.push({ headerName: "Actuals", headerClass: "actual-month", groupId: "history", openByDefault: false,
        children: [{ field: "a_total", headerName: "Last 12 mo", width: width(rows, "a_total", "Last 12 mo"),
          type: "rightAligned", editable: false, valueFormatter: number, columnGroupShow: "closed",
          headerClass: "actual-month", cellClass: "actual-month", cellClassRules: { "in-range": inRange } }].concat(
          data.actual_months.map((m) => ({
            field: "a_" + m, headerName: m, width: width(rows, "a_" + m, m), type: "rightAligned", editable: false,
            valueFormatter: number, headerClass: "actual-month", cellClass: "actual-month", columnGroupShow: "open",
            cellClassRules: { "in-range": inRange } }))) });
    const plan = [];
    cols.push({ headerName: "Plan", groupId: "plan", children: plan });
    for (const m of data.months)
      plan.push({
        field: "h_" + m, headerName: m, minWidth: width(rows, "h_" + m, m), flex: 1, maxWidth: 140, type: "rightAligned", valueFormatter: number,
        editable: (p) => p.data.editable,
        valueParser: (p) => Number(String(p.newValue).replace(/[ ,]/g, "")),
        cellClassRules: { editable: (p) => p.data.editable, "in-range": inRange, ...cockpit.markRules(m) },
        tooltipValueGetter: (p) => {
          const marks = cockpit.markTooltip(m)(p);
          const parts = p.data.code === "consensus" ? composition(p.data.row, m) : null;
          return [parts, marks].filter(Boolean).join("\n") || null;
        },
      });
    cols.push({ headerName: "Totals", groupId: "totals", children: data.total_columns.map((c) => ({
      field: "t_" + c.key, headerName: c.label, minWidth: width(rows, "t_" + c.key, c.label), flex: 1, maxWidth: 150, type: "rightAligned",
      editable: false, valueFormatter: number, cellClass: "total-column", headerClass: "total-column",
      cellClassRules: { "in-range": inRange } })) });
    return cols;
  }

  // How a consensus figure is made (demand.plan_arith): the override, else the baseline, plus events.
  function composition(row, m) {
    const value = (code) => (row.values[code] || {})[m];
    const whole = (x) => Math.round(x || 0).toLocaleString();
    const override = value("override"), events = value("events") || 0;
    const parts = [`Baseline ${whole(value("baseline"))}`];
    if (override !== undefined && override !== null) parts.push(`override ${whole(override)}`);
    if (Math.round(events)) parts.push(`events ${events > 0 ? "+" : "−"}${whole(Math.abs(events))}`);
    return `${parts.join(" · ")} → consensus ${whole(value("consensus"))}. An override replaces the ` +
      "baseline, events stay on top" + (override > 0 ? "; select the row to see who overrode and why." : ".");
  }

  async function load() {
    try {
      data = await call("grid/?" + params().toString());
      for (const row of data.rows) row.uid = row.id;
      await refreshOpen();
    } catch (error) { message(error.message, "error"); return; }
    document.getElementById("grid-count").textContent = data.count + " rows";
    exportLink();
    if (!grid) {
      grid = agGrid.createGrid(document.getElementById("plan-grid"), {
        columnDefs: columns(), rowData: toRows(), pinnedBottomRowData: totalRows(), getRowId: (p) => p.data.id,
        theme: agGrid.themeQuartz.withParams({ fontSize: 12, headerFontSize: 12, spacing: 4, cellHorizontalPadding: 6,
          rowHeight: 26, headerHeight: 28 }),
        getRowClass: (p) => (p.data && open.has(p.data.row.uid) ? "subtotal-row" : p.data && p.data.total ? "total-row" : ""),
        onCellFocused: (e) => focused(e),
        rowSelection: { mode: "singleRow", checkboxes: false, enableClickSelection: true },
        singleClickEdit: false, stopEditingWhenCellsLoseFocus: true, tooltipShowDelay: 200,
        suppressColumnVirtualisation: true,
        onCellValueChanged: (e) => startEdit(e.data, e.colDef.field.slice(2), "set", e.newValue),
        onCellClicked: drill,
        onFirstDataRendered: scrollToPlan,
        styleNonce: document.getElementById("plan-grid").dataset.styleNonce,
      });
    } else {
      grid.setGridOption("columnDefs", columns());
      grid.setGridOption("rowData", toRows());
      grid.setGridOption("pinnedBottomRowData", totalRows());
      grid.refreshCells({ force: true, columns: ["product", "place"] });
      requestAnimationFrame(scrollToPlan);
    }
    range.attach(grid);
    restoreFocus();
    await panel.reselect(allRows());
    app.dataset.loaded = String(Date.now());
  }
  // The export follows the filters: the rows the planner is looking at, nothing else.
  function exportLink() {
    const link = document.getElementById("export"), p = new URLSearchParams();
    for (const name of ["family", "region", "territory"]) if (filters.elements[name].value) p.set(name, filters.elements[name].value);
    link.href = link.href.split("?")[0] + (p.toString() ? "?" + p.toString() : "");
  }
  // The selected cell drives the side panel and the range; a reload puts the focus back.
  function focused(e) {
    range.focused(e);
    const node = e.rowIndex === null || e.rowPinned ? null : grid.getDisplayedRowAtIndex(e.rowIndex);
    if (!node || !node.data || !e.column) return;
    const col = e.column.getColId();
    returnTo = { id: node.data.id, col };
    const same = panel.selected && panel.selected.row.uid === node.data.row.uid &&
      panel.selected.month === (col.startsWith("h_") ? col.slice(2) : null);
    if (!same) panel.select(node.data.row, col.startsWith("h_") ? col.slice(2) : null);
    showDeals(node.data, col.startsWith("h_") ? col.slice(2) : null);
  }
  // A Pipeline cell lists the CRM deals behind it (a planner: those of their territories).
  const dealsBox = document.getElementById("pipeline-deals");
  let dealsSerial = 0;
  async function showDeals(rowData, month) {
    const serial = ++dealsSerial;
    if (!month || !rowData.code.startsWith("pipeline")) { dealsBox.hidden = true; return; }
    const p = new URLSearchParams({ month });
    for (const [k, v] of Object.entries(rowData.row.filters)) if (v !== null && v !== undefined) p.set(k, v);
    let found;
    try { found = await call("pipeline-deals/?" + p.toString()); } catch (error) {
      if (serial !== dealsSerial) return;
      found = { deals: [], hidden: 0, scope_words: "", error: error.message };
    }
    if (serial !== dealsSerial) return;
    const whole = (x) => Math.round(Number(x) || 0).toLocaleString();
    document.getElementById("pipeline-deals-scope").textContent = found.scope_words;
    const notes = [];
    if (found.error) notes.push(found.error);
    else if (!found.deals.length && !found.hidden) notes.push("No open deal is expected to close here.");
    if (found.hidden) notes.push(`${found.hidden} more deal(s) in territories you do not plan are counted in the figure, not listed.`);
    if (found.note) notes.push(found.note);
    document.getElementById("pipeline-deals-note").textContent = notes.join(" ");
    const body = dealsBox.querySelector("tbody");
    body.replaceChildren(...found.deals.map((d) => {
      const tr = document.createElement("tr");
      const cells = [d.name, d.organization, d.owner, d.stage,
        `${Number(d.likelihood)}% (learned ${Number(d.learned_likelihood).toFixed(0)}%)`, d.expected_close,
        `${whole(d.value)} ${d.currency}`, whole(d.weighted_units), whole(d.weighted_revenue)];
      for (const text of cells) { const td = document.createElement("td"); td.textContent = text; tr.appendChild(td); }
      return tr;
    }));
    dealsBox.hidden = false;
  }
  function restoreFocus() {
    if (!returnTo || dialog.open) return;
    const node = grid.getRowNode(returnTo.id);
    if (node && node.rowIndex !== null && grid.getColumn(returnTo.col)) grid.setFocusedCell(node.rowIndex, returnTo.col);
  }
  // Show the plan's first months with the actuals' total before them; after the
  // grid has laid its columns out, and again after each reload (new columns reset the scroll).
  function scrollToPlan() {
    if (!data.months.length) return;
    grid.ensureColumnVisible(shown().includes("actuals") ? "a_total" : "h_" + data.months[0], "start");
  }

  function drill(e) {
    const button = e.event && e.event.target.closest(".toggle");
    if (button) return toggle(e.data.row, button.dataset.axis);
    const f = e.data.row.filters, level = filters.elements;
    if (e.colDef.field === "product" && level.product_level.value === "family") {
      level.family.value = f.family; level.product_level.value = "sku";
      open.clear(); load();
    } else if (e.colDef.field === "place" && level.territory_level.value !== "territory") {
      if (f.region) level.region.value = f.region;
      level.territory_level.value = level.territory_level.value === "company" ? "region" : "territory";
      open.clear(); load();
    }
  }

  function monthOptions(select, chosen) {
    select.innerHTML = data.months.map((m) => `<option${m === chosen ? " selected" : ""}>${m}</option>`).join("");
  }
  function startEdit(rowData, month, mode, value, cells) {
    pending = { row: rowData.row, cells };
    document.getElementById("edit-level").textContent = cells ?
      `${cells.length} pasted cells` : `${rowData.product} in ${rowData.place}`;
    form.mode.value = mode; form.value.value = value ?? "";
    monthOptions(form.first_month, month); monthOptions(form.last_month, month);
    form.mode.disabled = !!cells; form.value.disabled = !!cells;
    document.getElementById("edit-error").hidden = true;
    if (lastReason && !form.reason_code.value) form.reason_code.value = lastReason;
    dialog.showModal();
    // Keyboard first: the reason when none is chosen yet, else the comment (Enter saves).
    (form.reason_code.value ? form.comment : form.reason_code).focus();
  }
  document.getElementById("edit-cancel").addEventListener("click", () => { dialog.close(); load(); });
  dialog.addEventListener("cancel", () => load()); // Escape: the typed figure is dropped
  document.getElementById("change-row")?.addEventListener("click", () => {
    const selected = grid && grid.getSelectedRows()[0];
    if (!selected || selected.code !== "consensus" || !selected.editable)
      return message("Select a consensus row you may edit first.", "error");
    startEdit(selected, data.months[0], "percent", "");
    form.last_month.value = data.months[data.months.length - 1];
  });

  function body(row, first, last, mode, value) {
    const versions = {};
    for (const m of data.months) if (m >= first && m <= last) versions[m] = row.versions[m] || 0;
    return { ...row.filters, first_month: first + "-01", last_month: last + "-01", mode,
      value: String(value), reason_code: form.reason_code.value, comment: form.comment.value,
      expected_versions: versions };
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const row = pending.row, first = form.first_month.value, last = form.last_month.value;
    const edits = pending.cells || [{ row, first, last, mode: form.mode.value, value: form.value.value }];
    let saved;
    try {
      saved = await call("overrides/batch/", { edits: edits.map((e) => body(e.row, e.first, e.last, e.mode, e.value)) });
    } catch (error) {
      const el = document.getElementById("edit-error");
      el.hidden = false; el.textContent = error.message; return;
    }
    remember(saved.map((o) => o.id));
    lastReason = form.reason_code.value;
    dialog.close(); await load(); message("Saved.", "success");
  });

  // Undo asks the server to put back every cell of the last save exactly (not new overrides).
  async function undo() {
    if (!lastEdit) return;
    try {
      await call("overrides/undo/", { overrides: lastEdit });
      remember(null);
      await load(); message("Undone.", "success");
    } catch (error) { message(error.message, "error"); load(); }
  }
  document.getElementById("undo")?.addEventListener("click", undo);
  remember(lastEdit);
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "z" && !dialog.open) { e.preventDefault(); undo(); }
  });

  document.getElementById("plan-grid").addEventListener("paste", (event) => {
    const focused = grid && grid.getFocusedCell();
    if (!focused || !focused.column.getColId().startsWith("h_")) return;
    event.preventDefault();
    const lines = event.clipboardData.getData("text/plain").replace(/\r/g, "").split("\n").filter((l) => l);
    const monthIndex = data.months.indexOf(focused.column.getColId().slice(2));
    const cells = [];
    let node = focused.rowIndex;
    for (const line of lines) {
      let rowNode = grid.getDisplayedRowAtIndex(node++);
      while (rowNode && rowNode.data.code !== "consensus") rowNode = grid.getDisplayedRowAtIndex(node++);
      if (!rowNode || !rowNode.data.editable) return message("The paste reaches rows you may not edit.", "error");
      line.split("\t").forEach((text, i) => {
        const m = data.months[monthIndex + i];
        const value = Number(text.replace(/[ ,]/g, ""));
        if (m && !Number.isNaN(value)) cells.push({ row: rowNode.data.row, first: m, last: m, mode: "set", value });
      });
    }
    if (cells.length) startEdit(grid.getDisplayedRowAtIndex(focused.rowIndex).data, cells[0].first, "set", "", cells);
  });

  for (const button of document.querySelectorAll(".submit-territory")) {
    button.addEventListener("click", async () => {
      if (!window.confirm(button.dataset.confirm)) return;
      try {
        await call("submit/", { territory: Number(button.dataset.territory), reason: "" });
        window.location.reload();
      } catch (error) { message(error.message, "error"); }
    });
  }
  // Reopen asks for its reason in an in-page dialog; a blank reason marks the field.
  const reopenDialog = document.getElementById("reopen-dialog");
  if (reopenDialog) {
    const reason = document.getElementById("reopen-reason");
    const failure = document.getElementById("reopen-error");
    for (const button of document.querySelectorAll(".reopen")) {
      button.addEventListener("click", () => {
        reopenDialog.dataset.territory = button.dataset.territory;
        document.getElementById("reopen-territory").textContent = button.dataset.name;
        reason.value = ""; reason.removeAttribute("aria-invalid"); failure.hidden = true;
        reopenDialog.showModal(); reason.focus();
      });
    }
    document.getElementById("reopen-cancel").addEventListener("click", () => reopenDialog.close());
    document.getElementById("reopen-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!reason.value.trim()) {
        reason.setAttribute("aria-invalid", "true");
        document.getElementById("reopen-help").textContent = "Write why you reopen the plan: the planner and the history need it.";
        reason.focus();
        return;
      }
      try {
        await call("reopen/", { territory: Number(reopenDialog.dataset.territory), reason: reason.value.trim() });
        window.location.reload();
      } catch (error) { failure.textContent = error.message; failure.hidden = false; }
    });
  }
  filters.addEventListener("change", () => { open.clear(); load(); });
  toggles.addEventListener("change", load);
  document.getElementById("drill-up").addEventListener("click", () => {
    for (const name of ["family", "region", "territory"]) filters.elements[name].value = "";
    filters.elements.product_level.value = "family"; filters.elements.territory_level.value = "region";
    open.clear(); load();
  });
  load();
})();
