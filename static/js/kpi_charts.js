// One line chart per KPI tile on the home page (Chart.js), with its target as a dashed line.
document.addEventListener("DOMContentLoaded", function () {
  const source = document.getElementById("kpi-data");
  if (!source || typeof Chart === "undefined") return;
  JSON.parse(source.textContent).forEach(function (kpi) {
    const canvas = document.querySelector("#chart-" + kpi.code + " canvas");
    if (!canvas) return;
    const target = kpi.labels.map(function () { return kpi.threshold; });
    const datasets = [
      {label: kpi.label, data: kpi.values, spanGaps: true},
      {label: "Target", data: target, borderDash: [6, 3], pointRadius: 0},
    ];
    if (kpi.direction === "near_zero") {
      datasets.push({label: "Target (lower)", data: target.map(function (v) { return -v; }), borderDash: [6, 3], pointRadius: 0});
    }
    new Chart(canvas, {type: "line", data: {labels: kpi.labels, datasets: datasets}});
  });
});
