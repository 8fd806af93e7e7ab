// Draws the SPC chart whose plotly figure is in <script type="application/json" id="…">.
(function () {
  function draw() {
    document.querySelectorAll("[data-spc-figure]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spc-figure"));
      if (!source || !window.Plotly) { return; }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, figure.data, figure.layout, {responsive: true, displaylogo: false});
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); }
  else { draw(); }
})();
