// History, forecast and its 80% / 95% bands for the series page (Chart.js).
document.addEventListener("DOMContentLoaded", () => {
  const data = JSON.parse(document.getElementById("series-data").textContent);
  const band = (label, values, fill, color) => ({
    label, data: values, fill, borderWidth: 0, pointRadius: 0, backgroundColor: color,
  });
  new Chart(document.getElementById("series-chart"), {
    type: "line",
    data: {
      labels: data.months,
      datasets: [
        { label: "Actual", data: data.actual, borderColor: "#333", pointRadius: 2 },
        { label: "Forecast", data: data.point, borderColor: "#1565c0", pointRadius: 2 },
        band("80% high", data.hi80, false, "rgba(21,101,192,0.25)"),
        band("80% low", data.lo80, "-1", "rgba(21,101,192,0.25)"),
        band("95% high", data.hi95, false, "rgba(21,101,192,0.12)"),
        band("95% low", data.lo95, "-1", "rgba(21,101,192,0.12)"),
      ],
    },
    options: { animation: false, spanGaps: false, scales: { y: { beginAtZero: true } } },
  });
});
