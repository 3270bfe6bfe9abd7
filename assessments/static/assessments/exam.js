/* Taking an exam: save each answer as it changes, keep unsent answers in localStorage while
   offline and replay them (every answer waiting in one request, with the exam token instead of
   the session), count down to the server's deadline, submit when time runs out.
   Sequence numbers come from a counter in localStorage shared by every tab of the attempt, so
   the newest change wins on the server whichever tab made it. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("exam-config").textContent);
  var msg = config.messages;
  var storeKey = "hegui-attempt-" + config.attemptId;
  var csrf = (document.querySelector("#submit-form input[name=csrfmiddlewaretoken]") || {}).value;
  // The clock offset makes the countdown follow the server, whatever the device's clock says.
  var clockOffset = config.serverNow - Date.now();
  var closed = false;
  // The exam token stands for the session on saves, the submit, integrity events and the
  // countdown's poll (no session read, no user loaded); once it expires or is refused, the page
  // uses its session instead.
  var token = config.token || null;
  function headers() {
    var h = { "Content-Type": "application/json", "X-CSRFToken": csrf };
    if (token) h["X-Exam-Token"] = token;
    return h;
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function store(state) {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* full */ }
  }
  function state() {
    var s = load();
    s.seq = s.seq || 0;
    s.pending = s.pending || {};
    return s;
  }
  function nextSeq() {
    var s = state();
    var serverMax = 0;
    Object.keys(config.answers).forEach(function (q) {
      serverMax = Math.max(serverMax, config.answers[q].seq || 0);
    });
    s.seq = Math.max(s.seq, serverMax) + 1;
    store(s);
    return s.seq;
  }

  var fieldsets = Array.prototype.slice.call(document.querySelectorAll("fieldset.question"));
  function fieldsetOf(qid) { return document.getElementById("q-" + qid); }

  function readAnswer(fs) {
    var kind = fs.dataset.kind;
    if (kind === "fill_in" || kind === "short_answer") {
      var v = fs.querySelector(".answer-text").value;
      return v.trim() ? [v] : [];
    }
    return Array.prototype.slice.call(fs.querySelectorAll("input:checked")).map(function (i) {
      return i.value;
    });
  }
  function writeAnswer(fs, answer) {
    var kind = fs.dataset.kind;
    if (kind === "fill_in" || kind === "short_answer") {
      fs.querySelector(".answer-text").value = answer[0] || "";
      return;
    }
    fs.querySelectorAll("input").forEach(function (i) { i.checked = answer.indexOf(i.value) >= 0; });
  }
  function markQuestion(qid, text, st) {
    var fs = fieldsetOf(qid);
    if (!fs) return;
    var el = fs.querySelector(".save-state");
    el.textContent = text;
    el.dataset.state = st;
    fs.dataset.saved = st;
  }
  function refreshStatus() {
    var pending = Object.keys(state().pending).length;
    var el = document.getElementById("save-status");
    if (closed) return;
    if (pending === 0) { el.textContent = msg.saved; el.dataset.state = "saved"; }
    else if (!navigator.onLine) { el.textContent = msg.offline + " (" + pending + ")"; el.dataset.state = "offline"; }
    else { el.textContent = msg.saving + " (" + pending + ")"; el.dataset.state = "saving"; }
    document.getElementById("offline-warning").hidden = navigator.onLine || pending === 0;
  }

  // Every answer waiting is sent in one request; answers given while it is on its way go in the
  // next one, sent as soon as it is answered.
  var inFlight = null;
  var again = false;
  function settle(resp, data, batch) {
    if (resp.ok) {
      document.getElementById("network-warning").hidden = true;
      var now = state();
      (data.results || []).forEach(function (r, i) {
        var entry = batch[i];
        if (!entry) return;
        var qid = String(entry.question);
        if (now.pending[qid] && now.pending[qid].seq <= entry.seq) { delete now.pending[qid]; }
        if (!r.ok) { markQuestion(qid, r.error || "", "error"); return; }
        // stale: a newer answer from another tab stands on the server; it is the saved one
        config.answers[qid] = { answer: entry.answer, seq: Math.max(entry.seq, r.seq || 0) };
        if (now.pending[qid]) { again = true; markQuestion(qid, msg.pending, "pending"); }
        else markQuestion(qid, msg.savedOne, "saved");
      });
      store(now);
    } else if (resp.status === 409) {
      closeAttempt(data.error || msg.closed);
    } else if (data.reason === "token") {
      // expired or refused: the page goes on with its session, which knows the outages
      token = null;
      again = true;
    } else if (data.reason === "network") {
      networkRefused(data.error);
      batch.forEach(function (e) { markQuestion(e.question, msg.pending, "pending"); });
    } else if (resp.status === 401 || resp.status === 403) {
      document.getElementById("session-warning").hidden = false;
      batch.forEach(function (e) { markQuestion(e.question, msg.pending, "pending"); });
    } else if (resp.status === 400 || resp.status === 404) {
      var bad = state();
      batch.forEach(function (e) {
        var qid = String(e.question);
        if (bad.pending[qid] && bad.pending[qid].seq <= e.seq) delete bad.pending[qid];
        markQuestion(qid, data.error || "", "error");
      });
      store(bad);
    } else {
      batch.forEach(function (e) { markQuestion(e.question, msg.pending, "pending"); });
    }
  }
  function flush() {
    if (closed) return Promise.resolve();
    if (inFlight) { again = true; return inFlight; }
    var s = state();
    var batch = Object.keys(s.pending).map(function (qid) {
      return { question: Number(qid), answer: s.pending[qid].answer, seq: s.pending[qid].seq };
    });
    if (!batch.length) return Promise.resolve();
    again = false;
    batch.forEach(function (e) { markQuestion(e.question, msg.saving, "saving"); });
    inFlight = fetch(config.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: headers(),
      body: JSON.stringify({ answers: batch })
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) {
        settle(resp, data, batch);
      });
    }).catch(function () {
      batch.forEach(function (e) { markQuestion(e.question, msg.offline, "offline"); });
    }).then(function () {
      inFlight = null;
      refreshStatus();
      if (again && !closed) { again = false; return flush(); }
    });
    return inFlight;
  }
  // Outside the exam's allowed networks: the answer stays on this device, is retried, and the
  // page says why until a save goes through.
  function networkRefused(text) {
    var w = document.getElementById("network-warning");
    w.textContent = text; w.hidden = false;
  }

  function changed(fs) {
    var qid = fs.dataset.question;
    var s = state();
    s.pending[qid] = { answer: readAnswer(fs), seq: nextSeq() };
    var fresh = state();
    fresh.pending[qid] = s.pending[qid];
    store(fresh);
    markQuestion(qid, navigator.onLine ? msg.saving : msg.offline, navigator.onLine ? "saving" : "offline");
    refreshStatus();
    flush();
  }

  var timers = {};
  fieldsets.forEach(function (fs) {
    fs.addEventListener("change", function () { changed(fs); });
    var text = fs.querySelector(".answer-text");
    if (text) {
      text.addEventListener("input", function () {
        clearTimeout(timers[fs.dataset.question]);
        timers[fs.dataset.question] = setTimeout(function () { changed(fs); }, 500);
      });
    }
  });

  // Answers given while offline or before a crash, newer than the server's, are shown and sent.
  (function restore() {
    var s = state();
    Object.keys(s.pending).forEach(function (qid) {
      var fs = fieldsetOf(qid);
      var server = config.answers[qid];
      if (!fs || (server && server.seq >= s.pending[qid].seq)) { delete s.pending[qid]; return; }
      writeAnswer(fs, s.pending[qid].answer);
      markQuestion(qid, msg.pending, "pending");
    });
    store(s);
    Object.keys(config.answers).forEach(function (qid) {
      if (config.answers[qid].seq > 0 && !s.pending[qid]) markQuestion(qid, msg.savedOne, "saved");
    });
    refreshStatus();
    flush();
  })();

  window.addEventListener("online", function () { refreshStatus(); flush(); });
  window.addEventListener("offline", refreshStatus);
  setInterval(function () { if (navigator.onLine) flush(); }, 5000);

  function closeAttempt(text) {
    closed = true;
    var w = document.getElementById("closed-warning");
    w.textContent = text; w.hidden = false;
    fieldsets.forEach(function (fs) { fs.disabled = true; });
    setTimeout(function () { window.location = config.resultUrl; }, 1500);
  }

  // A submission, asked for or at time up, is retried until the server takes it; the page says
  // so meanwhile. The server decides whether it is still in time, never this device's clock.
  var submitting = false;
  var confirming = false; // the browser's own dialog takes the focus: that is not leaving
  var submitButton = document.getElementById("submit-attempt");
  var submitWarning = document.getElementById("submit-warning");
  function submitFailed(status, reason) {
    submitting = false;
    if (status === 401 || status === 403) document.getElementById("session-warning").hidden = false;
    submitWarning.textContent = reason || msg.submitFailed;
    submitWarning.hidden = false;
    setTimeout(submit, 3000);
  }
  function submit() {
    if (submitting) return;
    submitting = true;
    submitButton.disabled = true;
    submitButton.textContent = msg.submitting;
    flush().then(function () {
      return fetch(config.submitUrl, {
        method: "POST", credentials: "same-origin", headers: headers(), body: "{}"
      });
    }).then(function (resp) {
      if (resp.ok) { localStorage.removeItem(storeKey); window.location = config.resultUrl; return; }
      return resp.json().catch(function () { return {}; }).then(function (data) {
        if (data.reason === "token") { token = null; submitting = false; submit(); }
        else if (data.reason === "network") submitFailed(0, data.error);
        else submitFailed(resp.status);
      });
    }).catch(function () { submitFailed(0); });
  }
  document.getElementById("submit-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    confirming = true;
    var sure = !submitting && window.confirm(msg.confirm);
    confirming = false;
    if (sure) submit();
  });

  var countdown = document.getElementById("countdown");
  var timeUp = false;
  function tick() {
    var left = Math.max(0, config.deadline - (Date.now() + clockOffset));
    var secs = Math.floor(left / 1000);
    var h = Math.floor(secs / 3600), m = Math.floor((secs % 3600) / 60), sec = secs % 60;
    countdown.textContent = (h ? h + ":" : "") + (m < 10 ? "0" : "") + m + ":" + (sec < 10 ? "0" : "") + sec;
    countdown.dataset.urgent = secs < 300 ? "true" : "false";
    if (left <= 0 && !timeUp) {
      timeUp = true;
      var w = document.getElementById("closed-warning");
      w.textContent = msg.timeUp; w.hidden = false;
      submit();
    }
  }
  tick();
  setInterval(tick, 1000);

  // The countdown follows the server: every 30 to 60 seconds (spread, so that thousands of
  // pages do not ask at once) and whenever the page is seen again, it asks for the server's
  // clock and the deadline (a proctor may move it) and whether the paper is still open (the
  // server may have submitted it: the leaving limit, idleness, a proctor).
  var polling = false;
  function poll() {
    if (closed || polling || !config.timeUrl) return;
    polling = true;
    var again = false;
    var sent = Date.now();
    var h = token ? { "X-Exam-Token": token } : {};
    fetch(config.timeUrl, { credentials: "same-origin", cache: "no-store", headers: h })
      .then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (data) {
          if (resp.ok && data.ok) {
            // the answer left the server about half way through the round trip
            clockOffset = data.serverNow - (sent + Date.now()) / 2;
            config.deadline = data.deadline;
            if (!data.open && !submitting) {
              closeAttempt(msg.closed);
              return;
            }
            tick();
          } else if (data.reason === "token") {
            token = null; // asked again with the session
            again = true;
          }
        });
      })
      .catch(function () { /* offline: the countdown goes on from the last answer */ })
      .then(function () {
        polling = false;
        if (again) { again = false; poll(); }
      });
  }
  (function schedule() {
    setTimeout(function () { poll(); schedule(); }, 30000 + Math.random() * 30000);
  })();
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
  });

  // Exam integrity, when the exam watches: each leaving of the page (hidden, another window, out
  // of full screen) is reported once until the person is back. The server stores it at its own
  // time, counts the leavings and submits the paper at the exam's limit; this page only shows
  // the count it answers. Copy, paste and the context menu are blocked in the paper.
  var integrity = config.integrity || {};
  if (integrity.watch) (function () {
    var im = integrity.messages;
    var warning = document.getElementById("integrity-warning");
    var away = false;
    var queue = [];
    var lastBlocked = {};
    function show(text) { warning.textContent = text; warning.hidden = false; }
    function answered(kind, resp, data) {
      if (resp.ok && data.submitted) {
        closed = true;
        show(im.submitted);
        fieldsets.forEach(function (fs) { fs.disabled = true; });
        localStorage.removeItem(storeKey);
        setTimeout(function () { window.location = data.resultUrl; }, 1500);
      } else if (resp.ok && kind.indexOf("left_") === 0) {
        show(im.left.replace(/%\(n\)s/g, data.leaves).replace(/%\(limit\)s/g, data.limit));
      } else if (resp.status === 409) {
        closeAttempt(data.error || msg.closed);
      }
    }
    function report(kind) {
      if (closed) return;
      fetch(integrity.eventUrl, {
        method: "POST", credentials: "same-origin", headers: headers(),
        body: JSON.stringify({ kind: kind })
      }).then(function (resp) {
        if (resp.status >= 500) { queue.push(kind); return; }
        return resp.json().catch(function () { return {}; }).then(function (data) {
          // the token expired or was refused: the same event again with the session
          if (data.reason === "token") { token = null; report(kind); return; }
          answered(kind, resp, data);
        });
      }).catch(function () { queue.push(kind); }); // offline: sent when the connection is back
    }
    function resend() {
      var kinds = queue; queue = [];
      kinds.forEach(report);
    }
    window.addEventListener("online", resend);
    setInterval(function () { if (navigator.onLine && queue.length) resend(); }, 5000);

    function left(kind) {
      if (away || closed || confirming) return;
      away = true;
      report(kind);
    }
    function back() {
      if (!away || closed) return;
      away = false;
      report("returned");
    }
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") left("left_page"); else back();
    });
    window.addEventListener("blur", function () { left("left_window"); });
    window.addEventListener("focus", function () { if (document.visibilityState !== "hidden") back(); });

    var paper = document.getElementById("paper");
    [["copy", "copy"], ["cut", "copy"], ["paste", "paste"], ["contextmenu", "context_menu"],
     ["drop", "paste"]].forEach(function (pair) {
      paper.addEventListener(pair[0], function (ev) {
        ev.preventDefault();
        show(im.blocked);
        var now = Date.now();
        if (!lastBlocked[pair[1]] || now - lastBlocked[pair[1]] > 10000) {
          lastBlocked[pair[1]] = now;
          report(pair[1]);
        }
      });
    });

    if (integrity.fullScreen && document.documentElement.requestFullscreen) {
      var bar = document.getElementById("full-screen-bar");
      var wasFull = false;
      bar.hidden = !!document.fullscreenElement;
      document.getElementById("enter-full-screen").addEventListener("click", function () {
        document.documentElement.requestFullscreen().catch(function () { /* refused */ });
      });
      document.addEventListener("fullscreenchange", function () {
        var full = !!document.fullscreenElement;
        bar.hidden = full || closed;
        if (full) { wasFull = true; back(); } else if (wasFull) left("left_full_screen");
      });
    }
  })();

  // One question per page on a phone.
  var pager = document.getElementById("pager");
  var current = 0;
  function showOne() {
    fieldsets.forEach(function (fs, i) { fs.hidden = i !== current; });
    document.getElementById("pager-position").textContent = (current + 1) + " / " + fieldsets.length;
  }
  function layout() {
    var phone = window.matchMedia("(max-width: 640px)").matches;
    pager.hidden = !phone;
    if (phone) showOne(); else fieldsets.forEach(function (fs) { fs.hidden = false; });
  }
  document.getElementById("prev-question").addEventListener("click", function () {
    current = Math.max(0, current - 1); showOne();
  });
  document.getElementById("next-question").addEventListener("click", function () {
    current = Math.min(fieldsets.length - 1, current + 1); showOne();
  });
  window.matchMedia("(max-width: 640px)").addEventListener("change", layout);
  layout();
})();
