// The demand grid's cockpit parts, apart from the grid's data and edits (demand_grid.js):
// the frame that fills the window, column widths that fit the numbers, cell marks,
// a spreadsheet-like range selection (sum, average, count, Ctrl+C) and the side panel.
(function () {
  "use strict";

  // The frame fills the window below its top, and follows the window when it is resized.
  function fitFrame(frame, onResize) {
    const fit = () => {
      const top = frame.getBoundingClientRect().top + window.scrollY;
      frame.style.height = Math.max(440, window.innerHeight - top - 8) + "px";
      if (onResize) onResize();
    };
    window.addEventListener("resize", fit);
    fit();
    return fit;
  }

  const whole = (value) => (value === undefined || value === null || value === "" ? "" :
    Math.round(value).toLocaleString("en-US"));

  // A width in pixels that fits the widest formatted figure (or the header) of a column.
  function fitWidth(rows, field, header, pixelsPerChar) {
    let chars = String(header).length;
    for (const row of rows) chars = Math.max(chars, whole(row[field]).length);
    return Math.ceil(chars * pixelsPerChar) + 14;
  }

  // Marks: an overridden cell (every level: a leaf under it was overridden), a cell changed
  // since the last release; the hover says who overrode it, when and why.
  function markRules(month) {
    const on = (p, key) => p.data && p.data.row && (p.data.code === "consensus" || p.data.code === "override") &&
      !!(p.data.row[key] || {})[month];
    return {
      overridden: (p) => on(p, "overridden"),
      "changed-since-release": (p) => !on(p, "overridden") && on(p, "changed"),
    };
  }
  function markTooltip(month) {
    return (p) => {
      if (!p.data || !p.data.row || p.data.code !== "consensus") return null;
      const row = p.data.row, lines = [];
      if ((row.overridden || {})[month])
        lines.push("Overridden. Latest: " + ((row.notes || {})[month] || "an override under this row"));
      if ((row.changed || {})[month]) {
        const before = ((row.values.previous || {})[month]);
        lines.push(`Changed since the last release (was ${whole(before)})`);
      }
      return lines.length ? lines.join("\n") : null;
    };
  }

  // Range selection: Shift+arrows or Shift+click extend from the anchor cell; the status line
  // shows the sum, average and count of the figures in it, Ctrl+C copies it as tab-separated text.
  class RangeSelection {
    constructor(container, status) {
      this.container = container; this.status = status;
      this.grid = null; this.anchor = null; this.focus = null; this.shift = false;
      // Whether the key or click that moves the focus extends the range. Not read at keyup:
      // the grid may move the focus after Shift is already released.
      const track = (e) => { if (e.key !== "Shift") this.shift = e.shiftKey; };
      container.addEventListener("keydown", track, true);
      container.addEventListener("mousedown", track, true);
      document.addEventListener("copy", (e) => this.copy(e));
    }
    attach(grid) { this.grid = grid; }
    numeric(colId) { return /^(a_|h_|t_)/.test(colId); }
    columns() { return this.grid.getAllDisplayedColumns().map((c) => c.getColId()).filter((c) => this.numeric(c)); }
    focused(e) {
      if (!e.column || e.rowPinned || e.rowIndex === null || e.rowIndex === undefined) return;
      const cell = { row: e.rowIndex, col: e.column.getColId() };
      if (!this.numeric(cell.col)) { this.clear(); return; }
      if (!this.shift || !this.anchor) this.anchor = cell;
      this.focus = cell;
      this.show();
    }
    clear() { this.anchor = this.focus = null; this.show(); }
    bounds() {
      if (!this.anchor) return null;
      const cols = this.columns();
      const a = cols.indexOf(this.anchor.col), b = cols.indexOf(this.focus.col);
      if (a < 0 || b < 0) return null;
      return { top: Math.min(this.anchor.row, this.focus.row), bottom: Math.max(this.anchor.row, this.focus.row),
        cols: cols.slice(Math.min(a, b), Math.max(a, b) + 1) };
    }
    contains(rowIndex, colId) {
      const b = this.bounds();
      const many = !!b && (b.top !== b.bottom || b.cols.length > 1);
      return many && rowIndex >= b.top && rowIndex <= b.bottom && b.cols.includes(colId);
    }
    cells() {
      const b = this.bounds(), out = [];
      if (!b) return out;
      for (let i = b.top; i <= b.bottom; i++) {
        const node = this.grid.getDisplayedRowAtIndex(i);
        out.push(b.cols.map((c) => (node && node.data ? node.data[c] : undefined)));
      }
      return out;
    }
    show() {
      const figures = this.cells().flat().filter((v) => typeof v === "number" && !Number.isNaN(v));
      // Repaint the range marks only when there is or was a range: a repaint ends an edit.
      const many = figures.length > 1 || this.painted;
      this.painted = figures.length > 1;
      if (this.grid && many) this.grid.refreshCells({ columns: this.columns(), force: true });
      if (!figures.length) { this.status.textContent = ""; return; }
      const sum = figures.reduce((s, v) => s + v, 0);
      this.status.textContent = `Sum ${whole(sum)} · Average ${whole(sum / figures.length)} · Count ${figures.length}`;
    }
    copy(event) {
      if (!this.grid || !this.container.contains(document.activeElement) || !this.anchor) return;
      if (this.grid.getEditingCells().length) return;
      const text = this.cells().map((line) => line.map((v) => (v === undefined || v === null ? "" :
        String(Math.round(v)))).join("\t")).join("\n");
      event.clipboardData.setData("text/plain", text);
      event.preventDefault();
      this.status.textContent = "Copied. " + this.status.textContent.replace(/^Copied\. /, "");
    }
  }

  // The side panel: the selected cell's composition in words, and who changed its row and why.
  class SidePanel {
    constructor(element, call) {
      this.element = element; this.call = call; this.selected = null; this.serial = 0;
    }
    select(row, month) { this.selected = { row, month }; return this.refresh(); }
    // After a reload the row objects are new: find the selected one again by its uid.
    async reselect(rows) {
      if (!this.selected) return;
      const row = rows.find((r) => r.uid === this.selected.row.uid);
      if (row) { this.selected.row = row; await this.refresh(); }
    }
    async refresh() {
      const serial = ++this.serial, { row, month } = this.selected;
      const filters = new URLSearchParams();
      for (const [k, v] of Object.entries(row.filters)) if (v !== null && v !== undefined) filters.set(k, v);
      const history = this.call("overrides/?" + filters.toString()).catch(() => []);
      if (month) filters.set("month", month);
      const composition = month ? this.call("composition/?" + filters.toString()).catch(() => null) : null;
      const [items, parts] = [await history, await composition];
      if (serial !== this.serial) return;
      this.render(row, month, parts, items);
    }
    render(row, month, parts, items) {
      const el = this.element;
      el.querySelector("#panel-title").textContent = `${row.product} · ${row.place}` + (month ? ` · ${month}` : "");
      el.querySelector("#composition").textContent = parts ? parts.words : "Select a month of this row to see how its figure is made.";
      const list = el.querySelector("#override-history");
      list.replaceChildren();
      for (const o of items) {
        const li = document.createElement("li");
        li.textContent = o.words;
        list.appendChild(li);
      }
      if (!items.length) {
        const li = document.createElement("li");
        li.className = "muted"; li.textContent = "Nobody has overridden this row in this cycle.";
        list.appendChild(li);
      }
      el.dataset.refreshed = String(Date.now());
    }
  }

  window.SopGridCockpit = { fitFrame, fitWidth, whole, markRules, markTooltip, RangeSelection, SidePanel };
})();
