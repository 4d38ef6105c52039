// Moved out of energy/benchmark.html so that the Content-Security-Policy can forbid inline script.
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("benchmark-chart");
  if (!element || !window.echarts) { return; }
  var data = JSON.parse(document.getElementById("benchmark-data").textContent).reverse();
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: {trigger: "axis"},
    grid: {left: 140, right: 30, top: 10, bottom: 30},
    xAxis: {type: "value", name: "kWh/m²"},
    yAxis: {type: "category", data: data.map(function (d) { return d.name; })},
    series: [{type: "bar", data: data.map(function (d) { return d.value; })}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
