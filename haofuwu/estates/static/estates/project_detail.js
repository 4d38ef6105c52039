// Moved out of estates/project_detail.html so that the Content-Security-Policy can forbid inline script.
// The pie of households by status; the list beside it carries the same numbers for screen readers.
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("units-by-status");
  if (!element || !window.echarts) { return; }
  var data = JSON.parse(document.getElementById("units-by-status-data").textContent);
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: {trigger: "item", formatter: "{b}: {c} ({d}%)"},
    legend: {bottom: 0, type: "scroll"},
    series: [{type: "pie", radius: ["40%", "70%"], center: ["50%", "45%"], data: data, label: {formatter: "{b}\n{c}"}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
