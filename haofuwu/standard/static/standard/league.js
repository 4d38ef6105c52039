// Moved out of standard/league.html so that the Content-Security-Policy can forbid inline script.
// Grade distribution: how many projects have each number of stars. Drawn again after an htmx swap.
function drawGrades() {
  var element = document.getElementById("grades");
  if (!element || !window.echarts) { return; }
  var data = JSON.parse(document.getElementById("grades-data").textContent);
  var chart = echarts.getInstanceByDom(element) || echarts.init(element);
  chart.setOption({
    tooltip: {},
    xAxis: {type: "category", data: data.map(function (d) { return d.name; })},
    yAxis: {type: "value", minInterval: 1},
    series: [{type: "bar", data: data.map(function (d) { return d.value; })}]
  });
}
document.addEventListener("DOMContentLoaded", drawGrades);
document.addEventListener("htmx:afterSwap", drawGrades);
