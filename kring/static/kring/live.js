// The live page: keeps the stage (#live-stage) in step with the server.
//
// After a change the socket brings the stage rendered for this viewer, and this file
// swaps it in; when it says only "changed, version N" (on connect, after a heartbeat, a
// version this device missed) the stage is fetched. Forms in the stage are posted with
// fetch (the answer is the new stage); without this file they post and come back to the
// page. The timer counts down to the server's end time, corrected for this device's clock.
// No UI text here: labels and announcements come from data-attributes of #live.
(function () {
  "use strict";
  var root = document.getElementById("live");
  var box = document.getElementById("live-stage");
  if (!root || !box || !window.fetch) return;
  document.documentElement.classList.add("js");

  var announcer = document.getElementById("live-announcer");
  var banner = document.getElementById("live-offline");
  var version = parseInt(root.dataset.version, 10) || 0;
  var heartbeatMs = (parseInt(root.dataset.heartbeat, 10) || 15) * 1000;
  var offsetMs = 0; // server time minus this device's time
  var shown = { phase: null, state: null };
  var timerKey = null;
  var lastRemaining = null;
  var fetching = false;
  var again = false;
  var socket = null;
  var attempts = 0;
  var reconnectTimer = null;
  var heartbeatTimer = null;
  var refused = false;
  var leaving = false;
  // The confirmation the lead has open ("not everyone is ready", "close?"), asked for
  // again with every fetch of the stage so that a change made meanwhile by someone else
  // does not take it away.
  var openConfirm = null;
  // Requests for the stage are numbered: an answer overtaken by the answer to a later
  // request is not shown, and the answer to one's own step (which may carry a question:
  // "not everyone is ready") is not overwritten by a push's fetch that was already under
  // way; such a fetch is made again when it brought a newer version.
  var requested = 0;
  var shownRequest = 0;
  var stepSupersedes = 0;
  var shownStep = 0;
  var audio = null;

  function stage() { return box.querySelector(".live-stage"); }

  function announce(text) {
    if (!announcer || !text) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 60);
  }

  function emit(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail || {} }));
  }

  // --- the clock -------------------------------------------------------------------
  function correctClock(element, clientAtServerNow) {
    var serverNow = Date.parse(element.dataset.serverNow || "");
    if (!isNaN(serverNow)) offsetMs = serverNow - clientAtServerNow;
  }

  function pageResponseTime() {
    try {
      var entry = performance.getEntriesByType("navigation")[0];
      if (entry && entry.responseStart) return performance.timeOrigin + entry.responseStart;
    } catch (error) { /* older browsers: now is close enough */ }
    return Date.now();
  }

  function format(seconds) {
    var whole = Math.abs(seconds);
    var minutes = Math.floor(whole / 60);
    var rest = whole % 60;
    return (seconds < 0 ? "+" : "") + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function remainingSeconds(element) {
    if (element.dataset.paused === "true" || !element.dataset.timerEndsAt) {
      var kept = parseInt(element.dataset.remaining, 10);
      return isNaN(kept) ? null : kept;
    }
    var ends = Date.parse(element.dataset.timerEndsAt);
    if (isNaN(ends)) return null;
    var left = (ends - (Date.now() + offsetMs)) / 1000;
    // Like the server: whole seconds towards zero (0:01 until the second is over).
    return left >= 0 ? Math.ceil(left) : -Math.floor(-left);
  }

  function tick() {
    var element = stage();
    if (!element || element.dataset.state !== "running") return;
    var seconds = remainingSeconds(element);
    var timer = document.getElementById("live-timer");
    var value = document.getElementById("live-timer-value");
    var label = document.getElementById("live-timer-label");
    if (seconds === null || !timer || !value) return;
    var over = seconds < 0;
    value.textContent = format(seconds);
    timer.classList.toggle("is-overtime", over);
    if (label) label.textContent = over ? root.dataset.labelOvertime : root.dataset.labelLeft;
    var key = element.dataset.phase + "|" + element.dataset.timerEndsAt;
    if (key !== timerKey) {
      timerKey = key;
      lastRemaining = seconds;
      return;
    }
    if (lastRemaining !== null && lastRemaining > 0 && seconds <= 0 && element.dataset.paused !== "true") {
      signalEnd(timer);
    }
    lastRemaining = seconds;
  }

  // A gentle end: a short soft tone (once a tap or key made sound possible) and a glow.
  function unlockAudio() {
    if (audio) return;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try { audio = new Context(); } catch (error) { audio = null; }
  }

  function tone() {
    if (!audio) return;
    if (audio.state === "suspended" && audio.resume) audio.resume();
    var start = audio.currentTime + 0.02;
    [0, 0.28].forEach(function (delay, index) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = index ? 523.25 : 659.25;
      gain.gain.setValueAtTime(0.0001, start + delay);
      gain.gain.exponentialRampToValueAtTime(0.08, start + delay + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + delay + 0.5);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start + delay);
      oscillator.stop(start + delay + 0.55);
    });
  }

  function signalEnd(timer) {
    tone();
    timer.classList.add("is-ending");
    window.setTimeout(function () { timer.classList.remove("is-ending"); }, 6000);
    announce(root.dataset.announceEnd);
  }

  // --- the stage ---------------------------------------------------------------------
  // A swap between pressing a button and letting go would swallow the click (the
  // release lands on the new stage, not on the button): while a pointer is down on the
  // stage the newest stage waits, and is shown right after the click.
  var pressing = false;
  var waitingSwap = null;
  box.addEventListener("pointerdown", function () { pressing = true; });
  function released() {
    if (!pressing) return;
    pressing = false;
    window.setTimeout(function () {
      if (pressing || !waitingSwap) return;
      var args = waitingSwap;
      waitingSwap = null;
      swap.apply(null, args);
    }, 0);
  }
  document.addEventListener("pointerup", released);
  document.addEventListener("pointercancel", released);

  function swap(html, clientAt, hintId, request, fromStep) {
    if (pressing) {
      waitingSwap = [html, clientAt, hintId, request, fromStep];
      return true;
    }
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    var fresh = template.content.querySelector(".live-stage");
    if (!fresh) return false;
    var freshVersion = parseInt(fresh.dataset.version, 10);
    var overtaken = fromStep
      ? request < shownStep
      : request < shownRequest || request <= stepSupersedes;
    if (overtaken) {
      if (freshVersion > version) fetchStage();
      return true;
    }
    shownRequest = Math.max(shownRequest, request);
    if (fromStep) {
      shownStep = request;
      stepSupersedes = requested;
      // A fetch answered meanwhile showed a later version: ask again (with the question).
      if (freshVersion < version) window.setTimeout(fetchStage, 0);
    }
    var active = document.activeElement;
    var focusedId = (active && box.contains(active) && active.id) || hintId || null;
    var focusLost = Boolean(hintId) || (active && box.contains(active));
    keepDisclosures(fresh);
    var confirmation = fresh.querySelector(".live-confirm[data-confirm]");
    openConfirm = confirmation
      ? { kind: confirmation.dataset.confirm, phase: fresh.dataset.phase }
      : null;
    box.replaceChildren(fresh);
    if (window.htmx && window.htmx.process) window.htmx.process(fresh);
    correctClock(fresh, clientAt);
    var newVersion = parseInt(fresh.dataset.version, 10);
    if (!isNaN(newVersion)) version = Math.max(version, newVersion);
    root.dataset.version = String(version);
    var moved = fresh.dataset.phase !== shown.phase || fresh.dataset.state !== shown.state;
    shown = { phase: fresh.dataset.phase, state: fresh.dataset.state };
    if (moved) announce(fresh.dataset.announce);
    placeFocus(fresh, focusedId, focusLost);
    tick();
    emit("live:changed", {
      version: version,
      phase: parseInt(fresh.dataset.phase, 10) || 0,
      state: fresh.dataset.state,
      record_version: parseInt(fresh.dataset.recordVersion, 10) || 0
    });
    goOnWhenClosed(fresh);
    return true;
  }

  // What the person set in the old stage stays after the swap: a list opened or closed,
  // a choice made in a select (the phase to go back to, whom to hand over to).
  function keepDisclosures(fresh) {
    box.querySelectorAll("details[id]").forEach(function (old) {
      var same = fresh.querySelector("#" + CSS.escape(old.id));
      if (same) same.open = old.open;
    });
    var before = stage();
    if (!before || before.dataset.phase !== fresh.dataset.phase) return;
    box.querySelectorAll("select[id]").forEach(function (old) {
      var same = fresh.querySelector("#" + CSS.escape(old.id));
      if (!same || old.dataset.touched !== "1") return;
      if (Array.prototype.some.call(same.options, function (o) { return o.value === old.value; })) {
        same.value = old.value;
        same.dataset.touched = "1";
      }
    });
  }

  // Keep focus where it was when that control still exists; a confirmation takes focus;
  // otherwise, if focus was in the old stage, the phase's heading gets it.
  function placeFocus(fresh, focusedId, focusLost) {
    var confirm = fresh.querySelector(".live-confirm button, .live-confirm a");
    if (confirm) { confirm.focus(); return; }
    if (focusedId) {
      var same = document.getElementById(focusedId);
      if (same && fresh.contains(same)) { same.focus({ preventScroll: true }); return; }
    }
    if (focusLost) {
      var heading = fresh.querySelector("h2[tabindex], h2");
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
  }

  function goOnWhenClosed(element) {
    if (element.dataset.state !== "closed" || !element.dataset.nextUrl || leaving) return;
    leaving = true;
    // A moment to read (and hear) that the meeting is closed; someone still writing in
    // the inputs' panel stays (the stage's link takes them on).
    window.setTimeout(function () {
      if (stillWriting()) { leaving = false; return; }
      window.location.assign(element.dataset.nextUrl);
    }, 2500);
  }

  function stillWriting() {
    var inputs = document.getElementById("live-inputs");
    if (!inputs) return false;
    return Array.prototype.some.call(inputs.querySelectorAll("textarea, input[type=text]"), function (field) {
      return field === document.activeElement || field.value.trim() !== "";
    });
  }

  function gone(response) {
    // Signed out, or no longer in the group: the page itself says what is the matter.
    if (response.status === 404 || response.status === 403 || response.redirected) {
      window.location.reload();
      return true;
    }
    return false;
  }

  function fetchStage() {
    if (fetching) { again = true; return; }
    fetching = true;
    var sent = Date.now();
    var url = root.dataset.stageUrl;
    if (openConfirm) {
      url += "?" + new URLSearchParams({ confirm: openConfirm.kind, phase: openConfirm.phase });
    }
    var request = ++requested;
    fetch(url, {
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      if (gone(response)) return null;
      return response.text().then(function (html) {
        swap(html, (sent + Date.now()) / 2, null, request);
      });
    }).catch(function () { /* offline: the socket's reconnect fetches again */ })
      .then(function () {
        fetching = false;
        if (again) { again = false; fetchStage(); }
      });
  }

  // A stage the server sent over the socket after a change: shown as a fetch's answer
  // would be. An open confirmation is asked for again with a fetch (only the stage URL
  // knows which question the lead is reading).
  function pushed(html) {
    if (openConfirm) { fetchStage(); return; }
    swap(html, Date.now(), null, ++requested);
  }

  // --- forms in the stage -------------------------------------------------------------
  box.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-live-form]") || form.dataset.native === "1") return;
    event.preventDefault();
    var submitter = event.submitter || null;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    var sent = Date.now();
    var request = ++requested;
    // getAttribute: a field named "action" would hide the form's own action property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      headers: { "HX-Request": "true" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 404 || response.redirected) { window.location.reload(); return; }
      return response.text().then(function (html) {
        if (!swap(html, (sent + Date.now()) / 2, submitter && submitter.id, request, true)) throw new Error("no stage");
      });
    }).catch(function () {
      // Could not post with fetch: post the ordinary way (the page comes back).
      buttons.forEach(function (button) { button.disabled = false; });
      form.dataset.native = "1";
      if (form.requestSubmit) form.requestSubmit(submitter || undefined);
      else form.submit();
    });
  });

  box.addEventListener("change", function (event) {
    if (event.target.matches("select")) event.target.dataset.touched = "1";
  });

  box.addEventListener("click", function (event) {
    var dismiss = event.target.closest("[data-live-dismiss]");
    if (!dismiss) return;
    event.preventDefault();
    openConfirm = null;
    fetchStage();
  });

  // --- the socket ---------------------------------------------------------------------
  function socketUrl() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + root.dataset.socketUrl;
  }

  function setOnline(online) {
    if (banner) banner.hidden = online;
    root.classList.toggle("is-offline", !online);
    emit(online ? "live:online" : "live:offline");
  }

  function connect() {
    window.clearTimeout(reconnectTimer);
    if (refused || leaving || !root.dataset.socketUrl) return;
    if (socket && (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)) return;
    try { socket = new WebSocket(socketUrl()); } catch (error) { retry(); return; }
    socket.addEventListener("open", function () {
      attempts = 0;
      setOnline(true);
      window.clearInterval(heartbeatTimer);
      heartbeatTimer = window.setInterval(function () {
        if (socket && socket.readyState === WebSocket.OPEN) {
          socket.send(JSON.stringify({ type: "heartbeat" }));
        }
      }, heartbeatMs);
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (!message) return;
      if (message.type === "stage" && message.version > version) pushed(message.html);
      else if (message.type === "changed" && message.version !== version) fetchStage();
    });
    socket.addEventListener("close", function (event) {
      window.clearInterval(heartbeatTimer);
      socket = null;
      if (leaving) return;
      if (attempts === 0) setOnline(false); // the banner (role=status) says so
      if (event.code === 4403) { refused = true; fetchStage(); return; }
      retry();
    });
  }

  function retry() {
    var delay = Math.min(15000, 1000 * Math.pow(2, attempts));
    attempts += 1;
    // While the socket is down the stage is still fetched now and then, so a device
    // behind a proxy without WebSockets follows too (only slower).
    reconnectTimer = window.setTimeout(function () { fetchStage(); connect(); }, delay);
  }

  window.addEventListener("online", function () { attempts = Math.min(attempts, 1); connect(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { fetchStage(); connect(); }
  });
  ["pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, unlockAudio, { once: true, capture: true });
  });

  // --- start ----------------------------------------------------------------------
  var first = stage();
  if (first) {
    correctClock(first, pageResponseTime());
    shown = { phase: first.dataset.phase, state: first.dataset.state };
    goOnWhenClosed(first);
  }
  tick();
  window.setInterval(tick, 1000);
  connect();
})();
