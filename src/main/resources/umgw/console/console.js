// umgw console: the only script. It makes the events page live (server-sent events); every page
// works without it (the events page then has its refresh link).
"use strict";
(function () {
  var body = document.getElementById("events-body");
  if (!body || typeof EventSource === "undefined") {
    return;
  }
  var status = document.getElementById("live-status");
  var after = body.getAttribute("data-after") || "0";
  var source = new EventSource("/events/stream?after=" + encodeURIComponent(after));
  function cell(tag, text, attrs) {
    var el = document.createElement(tag);
    el.textContent = text;
    for (var k in attrs || {}) {
      el.setAttribute(k, attrs[k]);
    }
    return el;
  }
  source.addEventListener("open", function () {
    if (status) status.textContent = " Live: new events appear at the top.";
  });
  source.addEventListener("error", function () {
    if (status) status.textContent = " Live updates paused; reconnecting…";
  });
  source.addEventListener("umgw", function (m) {
    var e = JSON.parse(m.data);
    var level = String(e.level).toLowerCase();
    var tr = document.createElement("tr");
    tr.className = "level-" + level + " new";
    tr.appendChild(cell("td", e.time, { "data-label": "Time" }));
    var th = document.createElement("th");
    th.setAttribute("scope", "row");
    th.appendChild(cell("span", String(e.id), { "class": "badge " + level }));
    tr.appendChild(th);
    tr.appendChild(cell("td", e.level, { "data-label": "Level" }));
    tr.appendChild(cell("td", e.message, { "data-label": "Message" }));
    body.insertBefore(tr, body.firstChild);
    while (body.rows.length > 500) {
      body.deleteRow(body.rows.length - 1);
    }
  });
})();
