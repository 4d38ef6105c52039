// Moved out of feedback/survey_results.html so that the Content-Security-Policy can forbid inline script.
// One bar chart per question and one of the rates per service line; the tables carry the same numbers.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var charts = JSON.parse(document.getElementById("fb-charts").textContent);
  charts.forEach(function (item) {
    var element = document.getElementById(item.id);
    if (!element) { return; }
    var chart = echarts.init(element);
    chart.setOption({
      grid: {left: 40, right: 10, top: 10, bottom: 40},
      tooltip: {},
      xAxis: {type: "category", data: Object.keys(item.counts), axisLabel: {interval: 0, rotate: 20}},
      yAxis: {type: "value", minInterval: 1},
      series: [{type: "bar", data: Object.values(item.counts)}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
  var lines = JSON.parse(document.getElementById("fb-lines").textContent);
  var element = document.getElementById("chart-lines");
  if (element && lines.length) {
    var chart = echarts.init(element);
    chart.setOption({
      grid: {left: 40, right: 10, top: 10, bottom: 50},
      tooltip: {},
      xAxis: {type: "category", data: lines.map(function (l) { return l.label; }), axisLabel: {interval: 0, rotate: 20}},
      yAxis: {type: "value", max: 100},
      series: [{type: "bar", data: lines.map(function (l) { return l.rate.value === null ? 0 : Math.round(l.rate.value * 100); })}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
});
