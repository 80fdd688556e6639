// Draws the program health charts from the page's json_script data. Every chart repeats a
// table on the page, so the page reads the same without scripts or a screen.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("insights-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var common = { animation: reduce ? false : undefined };
    function chart(id, config) {
      var canvas = document.getElementById(id);
      if (canvas) new window.Chart(canvas, Object.assign({ options: common }, config));
    }
    function label(key) { return key.replace(/_/g, " "); }
    chart("chart-funnel", {
      type: "bar",
      data: { labels: ["Invited", "Applied", "Approved", "Matched"],
              datasets: [{ label: "People", data: data.funnel }] }
    });
    var statuses = Object.keys(data.mentorships);
    chart("chart-mentorships", {
      type: "bar",
      data: { labels: statuses.map(label),
              datasets: [{ label: "Mentorships", data: statuses.map(function (k) { return data.mentorships[k]; }) }] }
    });
    var ratings = Object.keys(data.pulse);
    chart("chart-pulse", {
      type: "bar",
      // A suppressed count (null) is drawn as no bar; the table says "<5".
      data: { labels: ratings, datasets: [{ label: "Pulses", data: ratings.map(function (k) { return data.pulse[k]; }) }] }
    });
    chart("chart-trend", {
      type: "line",
      data: { labels: data.trend.weeks,
              datasets: [
                { label: "Sessions held", data: data.trend.sessions_held },
                { label: "Mentorships started", data: data.trend.mentorships_started },
                { label: "Mean pulse", data: data.trend.pulse_mean, yAxisID: "pulse" }
              ] },
      options: Object.assign({}, common, { scales: { pulse: { position: "right", min: 1, max: 5 } } })
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
