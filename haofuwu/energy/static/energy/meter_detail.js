// Moved out of energy/meter_detail.html so that the Content-Security-Policy can forbid inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var hours = JSON.parse(document.getElementById("hours-data").textContent);
  var days = JSON.parse(document.getElementById("days-data").textContent);
  var hoursChart = document.getElementById("hours-chart");
  var labels = {actual: hoursChart.dataset.labelActual, baseline: hoursChart.dataset.labelBaseline};
  var a = echarts.init(hoursChart);
  a.setOption({
    tooltip: {trigger: "axis"}, legend: {bottom: 0},
    xAxis: {type: "category", data: hours.x}, yAxis: {type: "value"},
    series: [
      {name: labels.actual, type: "line", data: hours.actual, showSymbol: false},
      {name: labels.baseline, type: "line", data: hours.baseline, showSymbol: false, lineStyle: {type: "dashed"}}
    ]
  });
  var b = echarts.init(document.getElementById("days-chart"));
  b.setOption({tooltip: {trigger: "axis"}, xAxis: {type: "category", data: days.x}, yAxis: {type: "value"}, series: [{type: "bar", data: days.y}]});
  window.addEventListener("resize", function () { a.resize(); b.resize(); });
});
