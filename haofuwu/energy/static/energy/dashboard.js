// Moved out of energy/dashboard.html so that the Content-Security-Policy can forbid inline script.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var charts = [];
  var trend = data("trend-data");
  var t = echarts.init(document.getElementById("trend-chart"));
  t.setOption({
    tooltip: {trigger: "axis"}, legend: {bottom: 0},
    xAxis: {type: "category", data: trend.days}, yAxis: {type: "value"},
    series: trend.series.map(function (s) { return {name: s.name, type: "line", smooth: true, data: s.data}; })
  });
  charts.push(t);
  var s = echarts.init(document.getElementById("scope-chart"));
  s.setOption({
    tooltip: {trigger: "item", formatter: "{b}: {c} ({d}%)"}, legend: {bottom: 0, type: "scroll"},
    series: [{type: "pie", radius: ["40%", "70%"], center: ["50%", "45%"], data: data("scope-data")}]
  });
  charts.push(s);
  var heat = data("heatmap-data");
  var h = echarts.init(document.getElementById("heatmap-chart"));
  var hours = []; for (var i = 0; i < 24; i++) { hours.push(i + ":00"); }
  h.setOption({
    tooltip: {position: "top"}, grid: {left: 50, right: 20, top: 10, bottom: 60},
    xAxis: {type: "category", data: hours}, yAxis: {type: "category", data: heat.weekdays},
    visualMap: {min: 0, max: heat.max || 1, calculable: true, orient: "horizontal", left: "center", bottom: 0},
    series: [{type: "heatmap", data: heat.cells}]
  });
  charts.push(h);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
