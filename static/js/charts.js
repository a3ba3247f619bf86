// Draws every element with data-chart="<id>": the id names a json_script element holding a
// Plotly figure ({data, layout}) built on the server, so chart and table show the same numbers.
// Plotly itself is served from the pinned Python package (vendor/plotly.min.js); no CDN.
// The dashboard does not use it: its charts are SVG drawn on the server (reports/charts.py).
(function () {
  "use strict";

  // Plain numbers with thousands separators on every axis: Plotly's default SI suffixes read
  // "40k" on an axis of 万元, which no official reads as 40,000 万元.
  function plainAxes(layout) {
    layout.yaxis = layout.yaxis || {};
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        var axis = layout[key];
        if (axis.exponentformat === undefined) {
          axis.exponentformat = "none";
        }
        if (axis.separatethousands === undefined) {
          axis.separatethousands = true;
        }
      }
    });
    return layout;
  }

  function draw(root) {
    root.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source || !window.Plotly) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, plainAxes(figure.layout || {}), {
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
