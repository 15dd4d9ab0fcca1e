// pyframe serve: the page without reloads. Every request it makes is one the page's plain form
// makes too; the server renders the HTML fragments and checks the answers.
"use strict";

(function () {
  const form = document.getElementById("starter");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  let timer = null;
  let sequence = 0;

  // Answers the person gave (or the share link gave) are sent; the others follow their defaults.
  const touched = new Set(
    Array.from(form.querySelectorAll("[data-given=true]")).map((el) => el.dataset.field)
  );

  function fieldOf(element) {
    const wrapper = element.closest("[data-field]");
    return wrapper ? wrapper.dataset.field : element.name;
  }

  function query() {
    const params = new URLSearchParams();
    params.append("name", $("f-name").value);
    for (const id of ["f-kind", "f-team", "f-scale", "f-framework", "f-template"]) {
      const el = $(id);
      if (el && !el.disabled && el.value) params.append(el.name, el.value);
    }
    for (const box of form.querySelectorAll("input[name=need]:checked")) params.append("need", box.value);
    for (const wrapper of form.querySelectorAll("#questions [data-field]")) {
      const param = wrapper.dataset.field;
      if (wrapper.hidden || !touched.has(param)) continue;
      const boxes = wrapper.querySelectorAll("input[type=checkbox].answer");
      const multi = wrapper.querySelectorAll("input[type=checkbox].answer").length > 1 ||
        wrapper.querySelector("input[type=hidden][value='']");
      if (boxes.length && multi) {
        const chosen = Array.from(boxes).filter((b) => b.checked);
        if (!chosen.length) params.append(param, "");
        for (const b of chosen) params.append(param, b.value);
      } else if (boxes.length) {
        params.append(param, boxes[0].checked ? "true" : "false");
      } else {
        const input = wrapper.querySelector(".answer");
        if (input) params.append(param, input.value);
      }
    }
    return params.toString();
  }

  async function fetchText(url) {
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    return { ok: response.ok, status: response.status, text: await response.text() };
  }

  function showSummary(errors, message) {
    const summary = $("summary");
    summary.replaceChildren();
    const entries = Object.entries(errors || {});
    if (!entries.length && !message) { summary.hidden = true; return; }
    const h = document.createElement("h2");
    h.textContent = "Fix this first";
    summary.append(h);
    if (message) { const p = document.createElement("p"); p.textContent = message; summary.append(p); }
    const list = document.createElement("ul");
    for (const [param, text] of entries) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#f-" + param;
      a.textContent = param + ": " + text;
      li.append(a);
      list.append(li);
    }
    summary.append(list);
    summary.hidden = false;
  }

  function setError(param, text) {
    const wrapper = form.querySelector(`[data-field="${CSS.escape(param)}"]`);
    const error = $("e-" + param);
    if (!wrapper || !error) return;
    error.textContent = text || "";
    error.hidden = !text;
    wrapper.classList.toggle("invalid", Boolean(text));
    for (const input of wrapper.querySelectorAll("input:not([type=hidden]), select, textarea")) {
      if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    }
  }

  function setValue(wrapper, value) {
    const boxes = wrapper.querySelectorAll("input[type=checkbox].answer");
    if (boxes.length > 1 || wrapper.querySelector("input[type=hidden][value='']")) {
      const chosen = new Set((value || []).map(String));
      for (const b of boxes) b.checked = chosen.has(b.value);
    } else if (boxes.length) {
      boxes[0].checked = value === true;
    } else {
      const input = wrapper.querySelector(".answer");
      if (input && document.activeElement !== input) input.value = value === null ? "" : String(value);
    }
  }

  function apply(result) {
    // result: the answers as the server sees them; fields follow when: and their defaults.
    setError("name", result.errors.name || "");
    for (const field of result.fields) {
      const wrapper = form.querySelector(`#questions [data-field="${CSS.escape(field.param)}"]`);
      if (!wrapper) continue;
      wrapper.hidden = !field.shown;
      for (const input of wrapper.querySelectorAll("input, select, textarea")) input.disabled = !field.shown;
      if (!touched.has(field.param)) setValue(wrapper, field.value);
      setError(field.param, field.shown ? field.error : "");
    }
    $("share-link").value = result.share;
    const q = result.share.split("?")[1] || "";
    history.replaceState(null, "", "/?" + q);
    for (const el of document.querySelectorAll(".archive-name")) el.textContent = result.name;
    $("curl").lastChild.textContent = `.zip '${location.origin}/starter.zip?${q}'`;
    if (result.ok) showSummary({});
  }

  // The page's check: answers another template asks are dropped (lenient=1), and the share
  // link it returns is the clean query every other request uses.
  async function check() {
    const response = await fetch("/api/check?lenient=1&" + query());
    const body = await response.json();
    if (!response.ok) {
      showSummary(body.errors, body.error);
      return null;
    }
    body.query = body.share.split("?")[1] || "";
    return body;
  }

  async function refresh() {
    const mine = ++sequence;
    const result = await check();
    if (mine !== sequence || !result) return;
    const rec = await fetchText("/fragment/recommendation?" + result.query);
    if (mine !== sequence) return;
    if (rec.ok) $("recommendation").innerHTML = rec.text;
    const shownTemplate = $("questions").querySelector("[data-template]");
    if (!shownTemplate || shownTemplate.dataset.template !== result.template) {
      const questions = await fetchText("/fragment/questions?" + result.query);
      if (mine !== sequence) return;
      if (questions.ok) $("questions").innerHTML = questions.text;
      touched.clear();
      for (const field of result.fields) if (field.given) touched.add(field.param);
    }
    apply(result);
    $("files").replaceChildren();
    const option = $("f-framework").querySelector("option[value='']");
    if (result.recommendation) option.textContent = `Follow the recommendation (${result.recommendation.framework})`;
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  }

  form.addEventListener("input", (event) => {
    const target = event.target;
    if (target.id === "share-link") return;
    if (target.closest("#questions")) touched.add(fieldOf(target));
    if (target.id === "f-template") $("f-framework").disabled = Boolean(target.value);
    later();
  });
  form.addEventListener("change", (event) => {
    if (event.target.closest("#questions")) touched.add(fieldOf(event.target));
    later();
  });

  async function explore(path) {
    const result = await check();
    if (!result) return;
    apply(result);
    if (!result.ok) {
      showSummary(result.errors);
      $("summary").focus();
      return;
    }
    const q = result.query;
    const url = path ? `/fragment/file?${q}&path=${encodeURIComponent(path)}` : `/fragment/files?${q}`;
    const shown = await fetchText(url);
    if (!shown.ok) {
      showSummary({}, new DOMParser().parseFromString(shown.text, "text/html").body.textContent.trim());
      $("summary").focus();
      return;
    }
    if (path) {
      $("file-view").innerHTML = shown.text;
      for (const a of form.querySelectorAll("a.file")) {
        if (a.dataset.path === path) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
      }
    } else {
      $("files").innerHTML = shown.text;
    }
  }

  $("explore").addEventListener("click", (event) => { event.preventDefault(); explore(null); });
  $("files").addEventListener("click", (event) => {
    const link = event.target.closest("a.file");
    if (!link) return;
    event.preventDefault();
    explore(link.dataset.path);
  });

  $("share").addEventListener("click", (event) => { event.preventDefault(); refresh(); });
  const copy = $("copy");
  copy.hidden = false;
  copy.addEventListener("click", async () => {
    const link = $("share-link");
    link.select();
    try { await navigator.clipboard.writeText(link.value); $("copied").textContent = "Copied."; }
    catch (_) { $("copied").textContent = "Selected: copy it with Ctrl+C."; }
  });

  async function generate(event, path) {
    event.preventDefault();
    const result = await check();
    if (!result) { $("summary").focus(); return; }
    apply(result);
    if (!result.ok) {
      showSummary(result.errors);
      $("summary").focus();
      return;
    }
    window.location.href = path + "?" + result.query;
  }
  $("generate").addEventListener("click", (event) => generate(event, "/starter.zip"));
  $("generate-tar").addEventListener("click", (event) => generate(event, "/starter.tar.gz"));
  form.addEventListener("submit", (event) => generate(event, "/starter.zip"));
})();
