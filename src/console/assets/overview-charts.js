/* global document, window */
// The overview's charts: payments and failures per rail today, drawn with uPlot from the JSON
// block the page carries (#overview-data). A script file, not inline: the console's CSP allows
// only scripts from 'self'. The page shows the same numbers in a table, so nothing is lost
// without it.
(function () {
  'use strict';
  var data = document.getElementById('overview-data');
  if (!data || typeof window.uPlot !== 'function') return;
  var d = JSON.parse(data.textContent);
  var x = d.rails.map(function (_r, i) {
    return i;
  });

  function chart(id, label, values, stroke, fill) {
    var el = document.getElementById(id);
    if (!el) return;
    var width = Math.max(240, Math.min(480, el.clientWidth || 480));
    var opts = {
      width: width,
      height: 220,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: [-0.5, x.length - 0.5] }, y: { range: [0, Math.max(1, Math.max.apply(null, values))] } },
      axes: [
        {
          splits: function () {
            return x;
          },
          values: function (_u, splits) {
            return splits.map(function (i) {
              return d.rails[i] || '';
            });
          },
        },
        { label: label },
      ],
      series: [{}, { label: label, stroke: stroke, fill: fill, paths: window.uPlot.paths.bars({ size: [0.6, 60] }), points: { show: false } }],
    };
    new window.uPlot(opts, [x, values], el);
  }

  chart('chart-volume', 'Payments', d.total, '#1f5fa8', 'rgba(31, 95, 168, 0.6)');
  chart('chart-failures', 'Failed', d.failed, '#a11d1d', 'rgba(161, 29, 29, 0.6)');
})();
