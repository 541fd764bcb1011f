/* Inputs from this device during a live meeting: nothing typed is lost.
 *
 * Every text field carries an id made in this browser. Typing is kept in localStorage at
 * once and saved on the server as a draft after a short pause; a submit goes to an outbox
 * in localStorage and is sent again until the server has answered (on "live:online", on
 * reload, and every few seconds). The panel is fetched again when the session changes
 * ("live:changed" from live.js); fields being typed in keep their text, focus and cursor.
 * All words shown come from the page (data-status-* attributes): none are in this file.
 */
(function () {
  "use strict";

  var section = document.getElementById("live-inputs");
  if (!section || !window.fetch) return;

  var AUTOSAVE_MS = 800;
  var RETRY_MS = 10000;
  var online = navigator.onLine !== false;
  var timers = {}; // client id -> autosave timer
  var pending = {}; // client id -> promise of a running autosave
  var sending = false;
  var sent = {}; // client ids the server has taken: their text is not carried over
  var unsaved = {}; // client ids whose last autosave did not reach the server

  function root() {
    return section.querySelector(".live-inputs-panel");
  }

  function meetingId() {
    var panel = root();
    return panel ? panel.getAttribute("data-meeting") : "";
  }

  function word(name) {
    var panel = root();
    return (panel && panel.getAttribute("data-status-" + name)) || "";
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    if (window.crypto && crypto.getRandomValues) {
      crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return (
      hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20)
    );
  }

  // localStorage: drafts per meeting and client id, and one outbox per meeting.

  function store() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function draftKey(clientId) {
    return "kring-live-draft:" + meetingId() + ":" + clientId;
  }

  function outboxKey() {
    return "kring-live-outbox:" + meetingId();
  }

  function readJSON(key, fallback) {
    var s = store();
    if (!s) return fallback;
    try {
      var value = JSON.parse(s.getItem(key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function writeJSON(key, value) {
    var s = store();
    if (!s) return;
    try {
      s.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* storage full or blocked: the server draft still has it */
    }
  }

  function forget(key) {
    var s = store();
    if (s) s.removeItem(key);
  }

  function localDrafts() {
    var s = store();
    var prefix = "kring-live-draft:" + meetingId() + ":";
    var found = [];
    if (!s) return found;
    for (var i = 0; i < s.length; i++) {
      var key = s.key(i);
      if (key && key.indexOf(prefix) === 0) {
        var value = readJSON(key, null);
        if (value) found.push({ clientId: key.slice(prefix.length), draft: value });
      }
    }
    return found;
  }

  // The form of a field and what it would send.

  function formOf(el) {
    return el && el.closest ? el.closest("form") : null;
  }

  function field(form, name) {
    return form.querySelector('[name="' + name + '"]');
  }

  function clientIdOf(form) {
    var input = field(form, "client_id");
    return input ? input.value : "";
  }

  function setClientId(form, clientId) {
    field(form, "client_id").value = clientId;
    form.setAttribute("data-client-id", clientId);
    var text = field(form, "text");
    if (text) text.setAttribute("data-client-id", clientId);
  }

  function status(form, name) {
    var el = form && form.querySelector(".live-input-status");
    if (el) el.textContent = name ? word(name) : "";
  }

  function headers() {
    var panel = root();
    return {
      "X-CSRFToken": panel ? panel.getAttribute("data-csrf") : "",
      "HX-Request": "true",
    };
  }

  function remember(form) {
    var text = field(form, "text");
    var author = field(form, "author");
    var clientId = clientIdOf(form);
    if (!text || !clientId) return;
    if (!text.value.trim()) {
      forget(draftKey(clientId));
      return;
    }
    writeJSON(draftKey(clientId), {
      text: text.value,
      phase: field(form, "phase").value,
      author: author ? author.value : "",
      fresh: form.getAttribute("data-fresh") || "",
      at: Date.now(),
    });
  }

  // Autosave to the server.

  function saveDraft(form) {
    var clientId = clientIdOf(form);
    var panel = root();
    if (!panel) return Promise.resolve();
    clearTimeout(timers[clientId]);
    delete timers[clientId];
    var body = new URLSearchParams(new FormData(form));
    status(form, "saving");
    var done = fetch(panel.getAttribute("data-draft-url"), {
      method: "POST",
      headers: headers(),
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        delete unsaved[clientId];
        if (response.status === 204) {
          status(form, "saved");
        } else if (response.ok) {
          forget(draftKey(clientId)); // sent already (from another tab or before a reload)
          status(form, "sent");
        } else {
          status(form, "refused");
        }
      })
      .catch(function () {
        unsaved[clientId] = true;
        status(form, "offline");
      })
      .then(function () {
        delete pending[clientId];
      });
    pending[clientId] = done;
    return done;
  }

  function flushDrafts() {
    Object.keys(timers).concat(Object.keys(unsaved)).forEach(function (clientId) {
      var form = section.querySelector('form[data-client-id="' + clientId + '"]');
      if (form) saveDraft(form);
    });
    var running = Object.keys(pending).map(function (k) {
      return pending[k];
    });
    return Promise.all(running);
  }

  section.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (!form || !form.hasAttribute("data-live-input")) return;
    if (form.hasAttribute("data-fresh") && !form.hasAttribute("data-browser-id")) {
      setClientId(form, newId());
      form.setAttribute("data-browser-id", "");
    }
    remember(form);
    var clientId = clientIdOf(form);
    clearTimeout(timers[clientId]);
    timers[clientId] = setTimeout(function () {
      saveDraft(form);
    }, AUTOSAVE_MS);
    if (!online) status(form, "offline");
  });

  // Submits go through the outbox.

  function outbox() {
    return readJSON(outboxKey(), []);
  }

  function queue(entry) {
    var box = outbox().filter(function (e) {
      return e.key !== entry.key;
    });
    box.push(entry);
    writeJSON(outboxKey(), box);
  }

  function unqueue(key) {
    writeJSON(
      outboxKey(),
      outbox().filter(function (e) {
        return e.key !== key;
      })
    );
  }

  function sendOne(entry) {
    return fetch(entry.url, {
      method: "POST",
      headers: headers(),
      body: new URLSearchParams(entry.body),
      credentials: "same-origin",
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server");
      // Any other answer is the server's last word on this entry: take it off the outbox.
      unqueue(entry.key);
      if (entry.clientId && response.ok) {
        forget(draftKey(entry.clientId));
        sent[entry.clientId] = true;
      }
      return response.text().then(function (html) {
        return { ok: response.ok, html: html, status: response.status };
      });
    });
  }

  function flushOutbox() {
    if (sending) return Promise.resolve();
    var box = outbox();
    if (!box.length) return Promise.resolve();
    sending = true;
    var last = null;
    var chain = Promise.resolve();
    box.forEach(function (entry) {
      chain = chain.then(function () {
        return sendOne(entry).then(function (result) {
          last = result;
        });
      });
    });
    return chain
      .then(function () {
        sending = false;
        if (last && last.html) swap(last.html);
      })
      .catch(function () {
        sending = false;
      });
  }

  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-live-input") && !form.hasAttribute("data-live-post")) return;
    event.preventDefault();
    var submitter = event.submitter;
    var url = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var clientId = data.get("client_id") || "";
    var discarding = submitter && submitter.hasAttribute("data-discard");
    if (form.hasAttribute("data-live-input") && !discarding) {
      remember(form);
      clearTimeout(timers[clientId]);
      delete timers[clientId];
    }
    if (discarding) forget(draftKey(clientId));
    var entry = {
      key: url + "#" + clientId,
      url: url,
      // Without the form's token: a resend after a new login carries the page's current one.
      body: Array.from(new URLSearchParams(data).entries()).filter(function (pair) {
        return pair[0] !== "csrfmiddlewaretoken";
      }),
      clientId: discarding ? "" : clientId,
    };
    queue(entry);
    status(form, online ? "sending" : "offline");
    sendOne(entry)
      .then(function (result) {
        if (result.ok) status(form, "sent");
        swap(result.html);
      })
      .catch(function () {
        status(form, "offline");
      });
  });

  // Replacing the panel, keeping what is being typed.

  function snapshotFields() {
    var fields = {};
    section.querySelectorAll("form[data-live-input] textarea[name=text]").forEach(function (el) {
      var form = formOf(el);
      fields[clientIdOf(form)] = {
        value: el.value,
        focused: document.activeElement === el,
        start: el.selectionStart,
        end: el.selectionEnd,
        fresh: form.getAttribute("data-fresh"),
        browserId: form.hasAttribute("data-browser-id"),
      };
    });
    return fields;
  }

  function restoreFields(before) {
    Object.keys(before).forEach(function (clientId) {
      var old = before[clientId];
      if (sent[clientId]) return;
      var form = section.querySelector('form[data-client-id="' + clientId + '"]');
      if (!form && old.fresh && old.value.trim()) {
        // A new text not saved as a draft yet: it goes on in the fresh form of its place.
        form = section.querySelector('form[data-fresh="' + old.fresh + '"]');
        if (form && field(form, "text").value === "") {
          setClientId(form, clientId);
          form.setAttribute("data-browser-id", "");
        } else {
          form = null;
        }
      }
      if (!form) return;
      if (old.browserId) form.setAttribute("data-browser-id", "");
      var text = field(form, "text");
      if (text.value !== old.value) text.value = old.value;
      if (old.focused) {
        text.focus();
        try {
          text.setSelectionRange(old.start, old.end);
        } catch (e) {
          /* not a text field any more */
        }
      }
    });
  }

  function swap(html) {
    if (!html) return;
    var before = snapshotFields();
    var parsed = document.createElement("template");
    parsed.innerHTML = html;
    var fresh = parsed.content.querySelector(".live-inputs-panel");
    var current = root();
    if (!fresh) return;
    if (current) current.replaceWith(fresh);
    else section.appendChild(fresh);
    restoreFields(before);
    restoreLocal();
  }

  function refresh() {
    var url = section.getAttribute("data-panel-url");
    if (!url) return Promise.resolve();
    return flushDrafts()
      .then(function () {
        return fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
      })
      .then(function (response) {
        if (!response.ok) return null;
        return response.text();
      })
      .then(function (html) {
        if (html) swap(html);
      })
      .catch(function () {
        /* offline: the panel stays as it is, the text with it */
      });
  }

  // After a reload or a swap: bring back text this device has and the server has not.

  var restoring = false;

  function restoreLocal() {
    var unknown = [];
    localDrafts().forEach(function (item) {
      var form = section.querySelector('form[data-client-id="' + item.clientId + '"]');
      if (!form && item.draft.fresh) {
        var fresh = section.querySelector('form[data-fresh="' + item.draft.fresh + '"]');
        if (fresh && field(fresh, "text").value === "" && field(fresh, "phase").value === item.draft.phase) {
          setClientId(fresh, item.clientId);
          fresh.setAttribute("data-browser-id", "");
          form = fresh;
        }
      }
      if (form) {
        var text = field(form, "text");
        if (text.value !== item.draft.text && document.activeElement !== text) {
          text.value = item.draft.text;
          saveDraft(form);
        }
      } else if (!inOutbox(item.clientId)) {
        unknown.push(item);
      }
    });
    if (!unknown.length || restoring || !root()) return;
    // Typed in a phase this panel no longer shows, never saved on the server: save it as a
    // draft now (it then shows under "not sent yet") and fetch the panel once more.
    restoring = true;
    var url = root().getAttribute("data-draft-url");
    Promise.all(
      unknown.map(function (item) {
        var body = new URLSearchParams();
        body.append("client_id", item.clientId);
        body.append("phase", item.draft.phase);
        body.append("text", item.draft.text);
        if (item.draft.author) body.append("author", item.draft.author);
        return fetch(url, { method: "POST", headers: headers(), body: body, credentials: "same-origin" })
          .then(function (response) {
            if (response.ok && response.status !== 204) forget(draftKey(item.clientId));
          })
          .catch(function () {});
      })
    )
      .then(refresh)
      .then(function () {
        restoring = false;
      });
  }

  function inOutbox(clientId) {
    return outbox().some(function (e) {
      return e.clientId === clientId;
    });
  }

  // The session and the connection.

  document.addEventListener("live:changed", function (event) {
    var panel = root();
    var detail = event.detail || {};
    if (!panel) return refresh();
    var moved =
      String(detail.phase) !== panel.getAttribute("data-phase") ||
      String(detail.state) !== panel.getAttribute("data-state");
    // With the record's version in the event, a change of presence alone (someone
    // connecting) does not make every device fetch its panel again.
    var changed =
      detail.record_version !== undefined
        ? String(detail.record_version) !== panel.getAttribute("data-record-version")
        : String(detail.version) !== panel.getAttribute("data-version");
    if (moved || changed) refresh();
  });

  document.addEventListener("live:online", function () {
    online = true;
    flushOutbox().then(flushDrafts);
  });

  document.addEventListener("live:offline", function () {
    online = false;
  });

  window.addEventListener("online", function () {
    online = true;
    flushOutbox().then(flushDrafts);
  });

  window.addEventListener("offline", function () {
    online = false;
  });

  // Before the page goes: what is typed is in localStorage already; try the server too.
  window.addEventListener("pagehide", function () {
    Object.keys(timers).forEach(function (clientId) {
      var form = section.querySelector('form[data-client-id="' + clientId + '"]');
      var panel = root();
      if (form && panel && navigator.sendBeacon) {
        navigator.sendBeacon(panel.getAttribute("data-draft-url"), new FormData(form));
      }
    });
  });

  setInterval(function () {
    if (outbox().length) flushOutbox();
  }, RETRY_MS);

  restoreLocal();
  flushOutbox();
})();
