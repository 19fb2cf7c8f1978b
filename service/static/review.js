// Jingwen review page: clean a document (or a JSONL file of documents) with this server, look at
// every paragraph's label, correct labels, download the corrections as labelled JSONL.
// Plain browser JavaScript, no dependencies, nothing loaded from anywhere but this server.
"use strict";

(() => {
  const LABELS = ["content", "chrome", "spam", "off_topic"];
  const CHUNK = 120; // paragraphs rendered at a time (the rest when scrolled near)
  const $ = (id) => document.getElementById(id);
  const els = {
    text: $("text"), drop: $("drop"), file: $("file"), fileChip: $("file-chip"), fileName: $("file-name"),
    fileInfo: $("file-info"), fileClear: $("file-clear"), clean: $("clean"), status: $("status"),
    results: $("results"), docPicker: $("doc-picker"), doc: $("doc"), filters: $("filters"), copy: $("copy"),
    download: $("download"), paras: $("paras"), more: $("more"), model: $("model"), toast: $("toast"),
  };

  const state = {
    config: { labels: LABELS, keep: ["content"], max_body_bytes: 2097152, max_batch_documents: 256 },
    keep: new Set(["content"]),
    file: null, // {name, text, encoding, bytes}
    docs: [], // {id, text, paras: [{s, e, label, model, scores}]}; s/e are UTF-16 indices into text
    source: "", // what the documents came from, for the download's file name
    doc: 0,
    filter: "all",
    visible: [], // indices into the current document's paras that the filter shows
    rendered: 0,
    selected: -1, // index into visible
    nearEnd: false,
  };

  // --- small helpers -------------------------------------------------------------------------------

  const fmt = new Intl.NumberFormat("en");
  const plural = (n, word) => `${fmt.format(n)} ${word}${n === 1 ? "" : "s"}`;
  const current = () => state.docs[state.doc];

  function setStatus(message, kind = "") {
    els.status.textContent = message;
    els.status.className = "status" + (kind ? " " + kind : "");
  }

  let toastTimer = 0;
  function toast(message) {
    els.toast.textContent = message;
    els.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { els.toast.hidden = true; }, 2200);
  }

  function stamp(date = new Date()) {
    const p = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
  }

  function sizeText(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  // The service counts offsets in Unicode code points (Python str indices); JavaScript strings are
  // indexed in UTF-16 code units, where a character outside the BMP (an emoji, a rare CJK
  // ideograph of plane 2) takes two. One pass over the text maps the sorted code-point offsets to
  // UTF-16 indices, without building an array of characters (a 5 MB document stays cheap).
  function codePointsToUtf16(text, offsets) {
    const out = new Array(offsets.length);
    let cp = 0, i = 0, k = 0;
    const n = text.length;
    while (k < offsets.length) {
      while (k < offsets.length && offsets[k] <= cp) out[k++] = i;
      if (k >= offsets.length) break;
      if (i >= n) { while (k < offsets.length) out[k++] = n; break; }
      const c = text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      cp++;
    }
    return out;
  }

  // --- talking to the server -------------------------------------------------------------------------

  async function api(path, body) {
    let response;
    try {
      response = await fetch(path, {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error("the server did not answer (is it still running?)");
    }
    let data = null;
    try { data = await response.json(); } catch (err) { /* not JSON */ }
    if (!response.ok) {
      let detail = data && data.detail;
      if (Array.isArray(detail)) detail = detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
      throw new Error(`HTTP ${response.status}: ${detail || response.statusText}`);
    }
    return data;
  }

  async function loadConfig() {
    try {
      state.config = { ...state.config, ...(await api("review/config.json")) };
      state.keep = new Set(state.config.keep);
    } catch (err) { /* defaults */ }
    showModel();
  }

  async function showModel(attempt = 0) {
    try {
      const ready = await api("readyz");
      els.model.textContent = `${ready.model.name} · v${ready.model.version}`;
    } catch (err) {
      els.model.textContent = "model loading…";
      if (attempt < 30) setTimeout(() => showModel(attempt + 1), 2000);
    }
  }

  // --- input: pasted text or a file ------------------------------------------------------------------

  function decodeBytes(buffer) {
    try {
      return { text: new TextDecoder("utf-8", { fatal: true }).decode(buffer), encoding: "UTF-8" };
    } catch (err) {
      return { text: new TextDecoder("gb18030").decode(buffer), encoding: "GB18030" };
    }
  }

  async function openFile(file) {
    if (!file) return;
    setStatus(`Reading ${file.name}…`, "busy");
    const { text, encoding } = decodeBytes(await file.arrayBuffer());
    state.file = { name: file.name, text, encoding, bytes: file.size };
    els.fileName.textContent = file.name;
    const kind = isJsonlName(file.name) || looksLikeJsonl(text) ? "JSONL, one document per line" : "one document";
    els.fileInfo.textContent = `${sizeText(file.size)} · ${encoding} · ${kind}`;
    els.fileChip.hidden = false;
    els.text.hidden = true;
    setStatus("Ready: press Clean.");
    els.clean.focus();
  }

  function forgetFile() {
    state.file = null;
    els.file.value = "";
    els.fileChip.hidden = true;
    els.text.hidden = false;
    els.text.focus();
    setStatus("");
  }

  const isJsonlName = (name) => /\.(jsonl|ndjson|json)$/i.test(name);

  function looksLikeJsonl(text) {
    const first = text.slice(0, 20000).split(/\r\n|\n|\r/).find((line) => line.trim());
    if (!first || !first.trim().startsWith("{")) return false;
    try {
      const record = JSON.parse(first);
      return record !== null && typeof record === "object" && (typeof record.text === "string" || Array.isArray(record.paragraphs));
    } catch (err) {
      return false;
    }
  }

  // {"id", "text"} per line; a labelled record ({"id", "paragraphs": [{"text", "label"}]}, e.g. a file
  // this page downloaded) is accepted too: its paragraphs are joined into the text and its labels
  // are applied as corrections, so a review can be continued.
  function parseJsonl(text, name) {
    const docs = [];
    const lines = text.split(/\r\n|\n|\r/);
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n];
      if (!line.trim()) continue;
      let record;
      try { record = JSON.parse(line); } catch (err) { throw new Error(`${name} line ${n + 1}: not JSON (${err.message})`); }
      if (record === null || typeof record !== "object" || Array.isArray(record)) throw new Error(`${name} line ${n + 1}: not a JSON object`);
      const id = typeof record.id === "string" || Number.isInteger(record.id) ? record.id : `${name}:${n + 1}`;
      if (typeof record.text === "string") {
        docs.push({ id, text: record.text, preset: null });
      } else if (Array.isArray(record.paragraphs) && record.paragraphs.every((p) => p && typeof p.text === "string")) {
        const preset = record.paragraphs.map((p) => (LABELS.includes(p.label) ? p.label : null));
        docs.push({ id, text: record.paragraphs.map((p) => p.text).join("\n"), preset });
      } else {
        throw new Error(`${name} line ${n + 1}: needs a "text" string (or labelled "paragraphs")`);
      }
    }
    if (!docs.length) throw new Error(`${name}: no documents`);
    return docs;
  }

  function gatherInput() {
    if (state.file) {
      const { name, text } = state.file;
      if (isJsonlName(name) || looksLikeJsonl(text)) return { docs: parseJsonl(text, name), source: name.replace(/\.[^.]+$/, ""), batch: true };
      return { docs: [{ id: name.replace(/\.[^.]+$/, ""), text, preset: null }], source: name.replace(/\.[^.]+$/, ""), batch: false };
    }
    const text = els.text.value;
    if (looksLikeJsonl(text)) return { docs: parseJsonl(text, "pasted JSONL"), source: `review-${stamp()}`, batch: true };
    return { docs: [{ id: `pasted-${stamp()}`, text, preset: null }], source: `review-${stamp()}`, batch: false };
  }

  // --- cleaning ----------------------------------------------------------------------------------

  async function cleanBatch(docs) {
    const results = [];
    const maxDocs = Math.max(1, state.config.max_batch_documents | 0);
    const maxBytes = Math.max(1024, (state.config.max_body_bytes | 0) * 0.9);
    let i = 0;
    while (i < docs.length) {
      const chunk = [];
      let bytes = 64;
      while (i < docs.length && chunk.length < maxDocs) {
        const cost = docs[i].text.length * 3 + 64; // UTF-8 bytes: at most 3 per UTF-16 unit
        if (chunk.length && bytes + cost > maxBytes) break;
        chunk.push(docs[i]);
        bytes += cost;
        i++;
      }
      setStatus(`Cleaning ${fmt.format(i)} of ${plural(docs.length, "document")}…`, "busy");
      const body = { documents: chunk.map((d) => ({ id: typeof d.id === "string" || Number.isInteger(d.id) ? d.id : null, text: d.text })), paragraphs: true };
      const answer = await api("v1/clean/batch", body);
      for (const r of answer.results) results.push(r);
      showModelInfo(answer.model);
    }
    return results;
  }

  function showModelInfo(model) {
    if (model) els.model.textContent = `${model.name} · v${model.version}`;
  }

  function buildDoc(input, result) {
    const ps = result.paragraphs || [];
    const offsets = new Array(ps.length * 2);
    for (let k = 0; k < ps.length; k++) { offsets[2 * k] = ps[k].start; offsets[2 * k + 1] = ps[k].end; }
    const u16 = codePointsToUtf16(input.text, offsets);
    const paras = ps.map((p, k) => ({ s: u16[2 * k], e: u16[2 * k + 1], label: p.label, model: p.label, scores: p.scores }));
    if (input.preset && input.preset.length === paras.length) {
      paras.forEach((p, k) => { if (input.preset[k]) p.label = input.preset[k]; });
    }
    return { id: input.id, text: input.text, paras };
  }

  async function clean() {
    let input;
    try {
      input = gatherInput();
    } catch (err) {
      setStatus(err.message, "error");
      return;
    }
    if (input.docs.every((d) => !d.text.trim())) {
      setStatus("Nothing to clean: paste a document or open a file first.", "error");
      return;
    }
    els.clean.disabled = true;
    const started = performance.now();
    try {
      let results;
      if (input.batch) {
        results = await cleanBatch(input.docs);
      } else {
        setStatus(`Cleaning ${plural(input.docs[0].text.length, "character")}…`, "busy");
        const answer = await api("v1/clean", { text: input.docs[0].text, paragraphs: true });
        showModelInfo(answer.model);
        results = [answer];
      }
      state.docs = input.docs.map((d, k) => buildDoc(d, results[k]));
      state.source = input.source;
      state.doc = 0;
      state.filter = "all";
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const paragraphs = state.docs.reduce((n, d) => n + d.paras.length, 0);
      const removed = state.docs.reduce((n, d) => n + d.paras.filter((p) => !state.keep.has(p.label)).length, 0);
      setStatus(`${state.docs.length > 1 ? plural(state.docs.length, "document") + " · " : ""}${plural(paragraphs, "paragraph")} · ${fmt.format(removed)} removed · ${seconds} s`);
      showResults();
    } catch (err) {
      setStatus(err.message, "error");
    } finally {
      els.clean.disabled = false;
    }
  }

  // --- results: document picker, label filter and counts ------------------------------------------------

  function showResults() {
    els.results.hidden = false;
    els.docPicker.hidden = state.docs.length < 2;
    if (state.docs.length > 1) {
      els.doc.textContent = "";
      const frag = document.createDocumentFragment();
      state.docs.forEach((d, k) => {
        const option = document.createElement("option");
        option.value = String(k);
        frag.append(option);
      });
      els.doc.append(frag);
      state.docs.forEach((d, k) => updateDocOption(k));
      els.doc.value = "0";
    }
    applyFilter();
    els.results.scrollIntoView({ block: "start", behavior: "instant" });
  }

  function updateDocOption(k) {
    const option = els.doc.options[k];
    if (!option) return;
    const d = state.docs[k];
    const changed = d.paras.filter((p) => p.label !== p.model).length;
    option.textContent = `${k + 1}. ${d.id} · ${d.paras.length} ¶${changed ? ` · ✎${changed}` : ""}`;
  }

  function counts(d) {
    const c = { all: d.paras.length, changed: 0 };
    for (const l of LABELS) c[l] = 0;
    for (const p of d.paras) {
      c[p.label]++;
      if (p.label !== p.model) c.changed++;
    }
    return c;
  }

  function renderChips() {
    const c = counts(current());
    const kinds = ["all", ...LABELS, "changed"];
    if (els.filters.childElementCount !== kinds.length) {
      els.filters.textContent = "";
      for (const kind of kinds) {
        const b = document.createElement("button");
        b.type = "button";
        b.className = `chip ${kind}`;
        b.dataset.filter = kind;
        if (kind !== "all") b.append(Object.assign(document.createElement("span"), { className: "dot" }));
        b.append(Object.assign(document.createElement("span"), { className: "name", textContent: kind }));
        b.append(Object.assign(document.createElement("span"), { className: "n" }));
        els.filters.append(b);
      }
    }
    for (const b of els.filters.children) {
      const kind = b.dataset.filter;
      b.querySelector(".n").textContent = fmt.format(c[kind]);
      b.setAttribute("aria-pressed", String(state.filter === kind));
      b.title = kind === "all" ? "Show every paragraph" : kind === "changed" ? "Show the paragraphs you relabelled" : `Show only ${kind} paragraphs`;
    }
  }

  function matches(p) {
    if (state.filter === "all") return true;
    if (state.filter === "changed") return p.label !== p.model;
    return p.label === state.filter;
  }

  function applyFilter(keepIndex = -1) {
    const d = current();
    state.visible = [];
    d.paras.forEach((p, i) => { if (matches(p)) state.visible.push(i); });
    state.rendered = 0;
    state.selected = -1;
    els.paras.textContent = "";
    renderChips();
    if (!state.visible.length) {
      const li = document.createElement("li");
      li.className = "empty";
      li.textContent = d.paras.length ? "No paragraph has this label." : "This document has no paragraphs (it is empty or blank).";
      els.paras.append(li);
      els.more.textContent = "";
      return;
    }
    renderMore();
    if (keepIndex >= 0) {
      const k = state.visible.indexOf(keepIndex);
      if (k >= 0) select(k);
    }
  }

  // --- paragraphs: lazy rendering -------------------------------------------------------------------

  function paragraphRow(i, k) {
    const d = current();
    const p = d.paras[i];
    const li = document.createElement("li");
    li.className = `para ${p.label}` + (state.keep.has(p.label) ? "" : " removed") + (p.label !== p.model ? " changed" : "");
    li.dataset.k = String(k);
    li.dataset.i = String(i);
    const meta = document.createElement("div");
    meta.className = "meta";
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.title = "Label (model probability of this label)";
    tag.append(p.label, Object.assign(document.createElement("span"), { className: "score", textContent: (p.scores[p.label] ?? 0).toFixed(2) }));
    meta.append(tag);
    if (p.label !== p.model) {
      meta.append(Object.assign(document.createElement("span"), {
        className: "was", textContent: `model: ${p.model} ${(p.scores[p.model] ?? 0).toFixed(2)}`,
      }));
    }
    const txt = document.createElement("div");
    txt.className = "txt";
    txt.textContent = d.text.slice(p.s, p.e);
    li.append(meta, txt);
    if (k === state.selected) addLabelButtons(li, p);
    return li;
  }

  function addLabelButtons(li, p) {
    if (li.querySelector(".set")) return;
    const set = document.createElement("div");
    set.className = "set";
    set.setAttribute("role", "group");
    set.setAttribute("aria-label", "Relabel this paragraph");
    LABELS.forEach((label, n) => {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.label = label;
      b.setAttribute("aria-pressed", String(p.label === label));
      b.append(Object.assign(document.createElement("kbd"), { textContent: String(n + 1) }), label);
      set.append(b);
    });
    li.append(set);
  }

  function renderMore(upTo = -1) {
    const end = Math.min(state.visible.length, Math.max(state.rendered + CHUNK, upTo + 1));
    if (end <= state.rendered) return;
    const frag = document.createDocumentFragment();
    for (let k = state.rendered; k < end; k++) frag.append(paragraphRow(state.visible[k], k));
    els.paras.append(frag);
    state.rendered = end;
    const left = state.visible.length - state.rendered;
    els.more.textContent = left > 0 ? `${plural(left, "more paragraph")} below…` : "";
  }

  // Render the next chunk whenever the end of the list comes near the viewport, one chunk per frame
  // so that the page stays responsive however long the document is.
  function pump() {
    if (!state.nearEnd || state.rendered >= state.visible.length) return;
    renderMore();
    requestAnimationFrame(() => setTimeout(pump, 0));
  }
  new IntersectionObserver((entries) => {
    state.nearEnd = entries.some((e) => e.isIntersecting);
    pump();
  }, { rootMargin: "0px 0px 1500px 0px" }).observe(els.more);

  // --- selection and relabelling ---------------------------------------------------------------------

  const rowAt = (k) => els.paras.children[k];

  function select(k) {
    if (!state.visible.length) return;
    k = Math.max(0, Math.min(state.visible.length - 1, k));
    if (k >= state.rendered) renderMore(k);
    const old = state.selected >= 0 ? rowAt(state.selected) : null;
    if (old) {
      old.classList.remove("selected");
      const set = old.querySelector(".set");
      if (set) set.remove();
    }
    state.selected = k;
    const li = rowAt(k);
    li.classList.add("selected");
    addLabelButtons(li, current().paras[state.visible[k]]);
    li.scrollIntoView({ block: "nearest" });
  }

  function deselect() {
    if (state.selected < 0) return;
    const li = rowAt(state.selected);
    state.selected = -1;
    if (li) {
      li.classList.remove("selected");
      const set = li.querySelector(".set");
      if (set) set.remove();
    }
  }

  function setLabel(k, label) {
    if (k < 0 || k >= state.visible.length) return;
    const i = state.visible[k];
    const p = current().paras[i];
    if (!label) label = p.model;
    if (p.label === label) return;
    p.label = label;
    const li = paragraphRow(i, k);
    if (k === state.selected) li.classList.add("selected");
    rowAt(k).replaceWith(li);
    renderChips();
    updateDocOption(state.doc);
  }

  els.paras.addEventListener("click", (ev) => {
    const li = ev.target.closest(".para");
    if (!li) return;
    const k = Number(li.dataset.k);
    const button = ev.target.closest(".set button");
    if (button) {
      setLabel(k, button.dataset.label);
      return;
    }
    if (window.getSelection && String(window.getSelection()).length) return; // selecting text to copy it
    select(k);
  });

  document.addEventListener("keydown", (ev) => {
    const inField = ev.target.closest && ev.target.closest("textarea, input, select");
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      clean();
      return;
    }
    if (inField || ev.ctrlKey || ev.metaKey || ev.altKey || !state.docs.length || els.results.hidden) return;
    const key = ev.key;
    if (key === "ArrowDown" || key === "j") {
      select(state.selected < 0 ? 0 : state.selected + 1);
    } else if (key === "ArrowUp" || key === "k") {
      select(state.selected < 0 ? 0 : state.selected - 1);
    } else if (key >= "1" && key <= "4" && key.length === 1) {
      if (state.selected < 0) select(0);
      setLabel(state.selected, LABELS[Number(key) - 1]);
    } else if (key === "0") {
      setLabel(state.selected, null);
    } else if (key === "Escape") {
      deselect();
    } else {
      return;
    }
    ev.preventDefault();
  });

  els.filters.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-filter]");
    if (!b) return;
    if (ev.detail) b.blur(); // a mouse click: let the arrow and digit keys go to the list
    const keepIndex = state.selected >= 0 ? state.visible[state.selected] : -1;
    state.filter = state.filter === b.dataset.filter && b.dataset.filter !== "all" ? "all" : b.dataset.filter;
    applyFilter(keepIndex);
  });

  els.doc.addEventListener("change", () => {
    state.doc = Number(els.doc.value) || 0;
    applyFilter();
  });

  // --- copy and download ---------------------------------------------------------------------------

  function cleanedText(d) {
    return d.paras.filter((p) => state.keep.has(p.label)).map((p) => d.text.slice(p.s, p.e)).join("\n");
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); return true; } catch (err) { /* fall back */ }
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    let ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    area.remove();
    return ok;
  }

  els.copy.addEventListener("click", async () => {
    const d = current();
    if (!d) return;
    const text = cleanedText(d);
    const kept = d.paras.filter((p) => state.keep.has(p.label)).length;
    toast((await copyText(text)) ? `Copied ${plural(kept, "paragraph")} (${fmt.format(Array.from(text).length)} characters)` : "Copying was refused by the browser");
  });

  // One line per document, the labelled format `jingwen train --data` reads; every paragraph's text
  // is exactly the original paragraph (text[start:end] of what was cleaned).
  function labelledJsonl() {
    return state.docs.map((d) => JSON.stringify({
      id: d.id,
      source: "review",
      paragraphs: d.paras.map((p) => ({ text: d.text.slice(p.s, p.e), label: p.label })),
    })).join("\n") + "\n";
  }

  els.download.addEventListener("click", () => {
    if (!state.docs.length) return;
    const blob = new Blob([labelledJsonl()], { type: "application/x-ndjson;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `${state.source || "review"}.labelled.jsonl`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    const changed = state.docs.reduce((n, d) => n + d.paras.filter((p) => p.label !== p.model).length, 0);
    toast(`Saved ${plural(state.docs.length, "document")}, ${plural(changed, "correction")}`);
  });

  // --- wiring -------------------------------------------------------------------------------------

  els.clean.addEventListener("click", clean);
  els.file.addEventListener("change", () => openFile(els.file.files[0]));
  els.fileClear.addEventListener("click", forgetFile);
  for (const type of ["dragenter", "dragover"]) {
    els.drop.addEventListener(type, (ev) => {
      if (!ev.dataTransfer || !Array.from(ev.dataTransfer.types).includes("Files")) return;
      ev.preventDefault();
      els.drop.classList.add("over");
    });
  }
  for (const type of ["dragleave", "dragend"]) els.drop.addEventListener(type, () => els.drop.classList.remove("over"));
  els.drop.addEventListener("drop", (ev) => {
    els.drop.classList.remove("over");
    const file = ev.dataTransfer && ev.dataTransfer.files[0];
    if (!file) return;
    ev.preventDefault();
    openFile(file);
  });
  // A file dropped anywhere else must not make the browser navigate away from the review.
  window.addEventListener("dragover", (ev) => ev.preventDefault());
  window.addEventListener("drop", (ev) => ev.preventDefault());

  loadConfig();
})();
