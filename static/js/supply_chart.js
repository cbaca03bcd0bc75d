// Supply plan of one family: production bars against demand, capacity, inventory and target.
document.addEventListener("DOMContentLoaded", function () {
  const d = JSON.parse(document.getElementById("supply-data").textContent);
  const line = (label, data, extra) => Object.assign({label: label, data: data, type: "line"}, extra || {});
  new Chart(document.getElementById("supply-chart"), {
    type: "bar",
    data: {labels: d.labels, datasets: [
      {label: "Production", data: d.production},
      line("Demand", d.demand), line("Capacity", d.capacity, {borderDash: [6, 3]}),
      line("Inventory", d.inventory), line("Inventory target", d.target, {borderDash: [2, 2]}),
    ]},
  });
});
