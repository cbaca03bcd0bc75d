// Sign-off pre-read: plan vs budget vs last release by month, in revenue and in units.
document.addEventListener("DOMContentLoaded", function () {
  const source = document.getElementById("preread-data");
  if (!source) return;
  const d = JSON.parse(source.textContent);
  const last = d.last_name || "Last release";
  const whole = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
  function draw(id, plan, budget, before) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "line",
      data: {labels: d.labels, datasets: [
        {label: "Plan", data: plan, borderColor: "#1f4e78", backgroundColor: "#1f4e78"},
        {label: "Budget", data: budget, borderColor: "#e69138", backgroundColor: "#e69138",
         borderDash: [6, 3]},
        {label: last, data: before, borderColor: "#888", backgroundColor: "#888", spanGaps: false},
      ]},
      options: {
        animation: false,
        interaction: {mode: "index", intersect: false},
        scales: {y: {beginAtZero: true, ticks: {callback: (v) => whole.format(v)}}},
        plugins: {tooltip: {callbacks: {
          label: (c) => c.dataset.label + ": " + (c.parsed.y === null ? "–" : whole.format(c.parsed.y)),
        }}},
      },
    });
  }
  draw("preread-chart", d.revenue, d.budget, d.last_revenue);
  draw("preread-units-chart", d.volume, d.budget_units, d.last_volume);
});
