// Reassessment charts (Chart.js): WAPE by target month, and the FVA waterfall.
document.addEventListener("DOMContentLoaded", () => {
  const read = (id) => {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  const accuracy = read("accuracy-data");
  if (accuracy) {
    new Chart(document.getElementById("accuracy-chart"), {
      type: "line",
      data: { labels: accuracy.labels, datasets: accuracy.datasets },
      options: {
        animation: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: "WAPE %" } } },
      },
    });
  }
  const steps = read("fva-data");
  if (steps) {
    const colour = (s) =>
      s.kind === "total" ? "#607d8b" : s.value_added >= 0 ? "#2e7d32" : "#c62828";
    new Chart(document.getElementById("fva-chart"), {
      type: "bar",
      data: {
        labels: steps.map((s) => s.label),
        datasets: [{
          label: "WAPE %",
          data: steps.map((s) => [s.start, s.end]),
          backgroundColor: steps.map(colour),
        }],
      },
      options: {
        animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, title: { display: true, text: "WAPE %" } } },
      },
    });
  }
});
