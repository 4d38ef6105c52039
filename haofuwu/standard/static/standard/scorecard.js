// Moved out of standard/scorecard.html so that the Content-Security-Policy can forbid inline script.
// The radar of scores by dimension; the section list beside it carries the numbers for screen readers.
document.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("radar");
  if (!element || !window.echarts) { return; }
  var data = JSON.parse(document.getElementById("radar-data").textContent);
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: {},
    radar: {indicator: data.indicators, radius: "65%"},
    series: [{type: "radar", data: [{value: data.values, areaStyle: {opacity: 0.2}}]}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
