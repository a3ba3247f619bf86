// Draws every element with data-chart="<id>": the id names a json_script element holding a
// Plotly figure ({data, layout}) built on the server, so chart and table show the same numbers.
// Plotly itself is served from the pinned Python package (vendor/plotly.min.js); no CDN.
(function () {
  "use strict";

  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source || !window.Plotly) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        displaylogo: false,
        responsive: true,
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });
  // Content swapped in by htmx gets its charts too.
  document.addEventListener("htmx:afterSettle", function (event) {
    draw(event.target);
  });
})();
