// Sign-off pre-read: revenue and budget by month, with volume on its own axis.
document.addEventListener("DOMContentLoaded", function () {
  const source = document.getElementById("preread-data");
  if (!source) return;
  const d = JSON.parse(source.textContent);
  new Chart(document.getElementById("preread-chart"), {
    type: "bar",
    data: {labels: d.labels, datasets: [
      {label: "Revenue", data: d.revenue, yAxisID: "y"},
      {label: "Budget revenue", data: d.budget, type: "line", yAxisID: "y"},
      {label: "Volume (units)", data: d.volume, type: "line", yAxisID: "units"},
    ]},
    options: {scales: {units: {position: "right", grid: {drawOnChartArea: false}}}},
  });
});
