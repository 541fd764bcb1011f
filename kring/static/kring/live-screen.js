/* The room screen: hears "changed, version N" on its socket, fetches its own view and
   keeps the timer going from the server's end time, corrected for this clock's offset.
   No UI text here: the labels come from the page's data attributes. */
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root) return;
  var box = document.getElementById("screen-stage");
  var offline = document.getElementById("screen-offline");
  var REFUSED = 4403;
  var version = parseInt(root.dataset.version || "0", 10);
  var offset = 0; // server time minus this clock, in ms
  var socket = null;
  var backoff = 1000;
  var heartbeat = null;
  var fetching = false;
  var again = false;
  var lastRemaining = null;

  function stageEl() { return box.querySelector(".screen-stage"); }

  function readOffset(el, receivedAt) {
    var server = Date.parse(el.dataset.serverNow || "");
    if (!isNaN(server)) offset = server - (receivedAt || Date.now());
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function tick() {
    var el = stageEl();
    if (!el) return;
    var timer = document.getElementById("screen-timer");
    var value = document.getElementById("screen-timer-value");
    var label = document.getElementById("screen-timer-label");
    if (!timer || !value) return;
    var remaining;
    if (el.dataset.paused === "true") {
      remaining = parseInt(el.dataset.remaining || "0", 10);
    } else {
      var ends = Date.parse(el.dataset.timerEndsAt || "");
      if (isNaN(ends)) return;
      remaining = Math.floor((ends - (Date.now() + offset)) / 1000);
    }
    var over = remaining < 0;
    // The end of the phase: the timer pulses a few times (gently; not with reduced motion).
    if (over && lastRemaining !== null && lastRemaining >= 0 && el.dataset.paused !== "true") {
      timer.classList.add("is-just-over");
      window.setTimeout(function () { timer.classList.remove("is-just-over"); }, 4000);
    }
    lastRemaining = remaining;
    var s = Math.abs(remaining);
    value.textContent = (over ? "+" : "") + Math.floor(s / 60) + ":" + pad(s % 60);
    timer.classList.toggle("is-overtime", over);
    timer.classList.toggle("is-ending", !over && remaining < 60);
    if (label) {
      label.textContent = el.dataset.paused === "true" ? root.dataset.labelPaused
        : over ? root.dataset.labelOver : root.dataset.labelLeft;
    }
  }

  // A projector cannot scroll: shrink the type until the phase fits (not on a phone,
  // which scrolls like any page).
  function fit() {
    var el = stageEl();
    if (!el) return;
    el.setAttribute("data-fit", "");
    var scale = 1;
    el.style.setProperty("--fit", "1em");
    if (window.innerWidth < 640) return;
    while (document.documentElement.scrollHeight > window.innerHeight + 1 && scale > 0.55) {
      scale -= 0.05;
      el.style.setProperty("--fit", scale.toFixed(2) + "em");
    }
  }

  function toPairing() { window.location.assign(root.dataset.pairUrl); }

  function fetchStage() {
    if (fetching) { again = true; return; }
    fetching = true;
    var sent = Date.now();
    fetch(root.dataset.stageUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 404) { toPairing(); return null; }
        if (!response.ok) throw new Error("stage " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (html == null) return;
        box.innerHTML = html;
        lastRemaining = null;
        var el = stageEl();
        if (el) {
          version = parseInt(el.dataset.version || "0", 10);
          readOffset(el, (sent + Date.now()) / 2);
        }
        tick();
        fit();
      })
      .catch(function () { /* the next push or heartbeat tries again */ })
      .then(function () {
        fetching = false;
        if (again) { again = false; fetchStage(); }
      });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.socketUrl);
    socket.onopen = function () {
      backoff = 1000;
      if (offline) offline.hidden = true;
      var every = parseInt(root.dataset.heartbeat || "15", 10) * 1000;
      heartbeat = window.setInterval(function () {
        if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "heartbeat" }));
      }, every);
    };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "changed" && message.version !== version) fetchStage();
    };
    socket.onclose = function (event) {
      window.clearInterval(heartbeat);
      if (event.code === REFUSED) { toPairing(); return; }
      if (offline) offline.hidden = false;
      window.setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 15000);
    };
  }

  var first = stageEl();
  if (first) readOffset(first, Date.now());
  tick();
  fit();
  window.addEventListener("resize", fit);
  window.setInterval(tick, 1000);
  connect();
})();
