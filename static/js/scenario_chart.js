// Scenario compare: each scenario's change against the base plan, month by month.
document.addEventListener("DOMContentLoaded", function () {
  const source = document.getElementById("scenario-chart-data");
  if (!source || typeof Chart === "undefined") return;
  const d = JSON.parse(source.textContent);
  new Chart(document.getElementById("scenario-chart"), {
    type: "bar",
    data: {labels: d.labels, datasets: d.series.map(function (s) {
      return {label: s.name, data: s.delta};
    })},
    options: {
      maintainAspectRatio: false,
      animation: false,
      plugins: {title: {display: true, text: d.measure + ": change against the base plan"}},
      scales: {y: {title: {display: true, text: d.measure}}},
    },
  });
});
