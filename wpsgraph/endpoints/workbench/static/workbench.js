// The WPS query page: examples from config.json, CodeMirror as the editor, results from the SPARQL endpoint
// beside the page, labels fetched from the same endpoint, links that carry the query in the URL's fragment.
"use strict";

(function () {
  const endpoint = new URL("query", document.baseURI).href;
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const IRI_TEXT = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/;  // what may stand between < and > in SPARQL
  const $ = (id) => document.getElementById(id);
  let config = null, current = null, terms = {}, lastQuery = null, lastName = "query";

  const editor = CodeMirror.fromTextArea($("editor"), {
    mode: "application/sparql-query", lineNumbers: true, lineWrapping: true, indentUnit: 2,
    extraKeys: { "Ctrl-Enter": run, "Cmd-Enter": run },
  });
  // CodeMirror's input is a hidden textarea: give it the name the visible label gives the original
  editor.getInputField().setAttribute("aria-label", "SPARQL query");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  function status(text, isError) {
    $("status").textContent = text;
    $("status").classList.toggle("error", !!isError);
  }

  // ---- prefixes -------------------------------------------------------------------------------------------
  // The editor's own SPARQL tokenizer tells prefixed names from text inside strings, IRIs and comments.
  function prefixUse() {
    const used = new Set(), declared = new Set();
    let afterPrefix = false;
    for (let line = 0; line < editor.lineCount(); line++) {
      for (const token of editor.getLineTokens(line, true)) {
        if (!token.type) continue;
        if (token.type === "keyword" && token.string.toLowerCase() === "prefix") { afterPrefix = true; continue; }
        if (token.type === "atom" && !token.string.startsWith("<") && token.string.includes(":")) {
          const prefix = token.string.slice(0, token.string.indexOf(":"));
          (afterPrefix ? declared : used).add(prefix);
        }
        afterPrefix = false;
      }
    }
    return [...used].filter((p) => !declared.has(p) && p in config.prefixes);
  }

  function addPrefixes() {
    const missing = prefixUse();
    if (!missing.length) return 0;
    const lines = missing.sort().map((p) => `PREFIX ${p}: <${config.prefixes[p]}>\n`).join("");
    editor.replaceRange(lines, { line: 0, ch: 0 });
    return missing.length;
  }

  function compact(iri) {
    let best = null;
    for (const [p, ns] of Object.entries(config.prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [p, ns];
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : null;
  }

  // ---- examples and their parameters ---------------------------------------------------------------------
  function showExamples(filter) {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const list = $("examples");
    list.replaceChildren();
    let shown = 0;
    for (const ex of config.examples) {
      const hay = `${ex.name} ${ex.title} ${ex.description}`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) continue;
      shown++;
      const params = ex.params.length ? ` (${ex.params.map((p) => p.name).join(", ")})` : "";
      const button = el("button", { type: "button", "data-example": ex.name,
                                    "aria-current": current && current.name === ex.name ? "true" : null },
                        ex.title, el("span", { class: "name" }, ex.name + params));
      button.addEventListener("click", () => { loadExample(ex); run(); });
      list.append(el("li", {}, button));
    }
    $("example-count").textContent = `(${shown} of ${config.examples.length})`;
  }

  function loadExample(ex, text) {
    current = ex;
    lastName = ex.name;
    terms = Object.fromEntries(ex.params.map((p) => [p.name, p.term]));
    editor.setValue(text || ex.text);
    $("about-example").hidden = false;
    $("example-title").textContent = ex.title;
    $("example-description").textContent = ex.description;
    $("example-description").classList.add("clamped");
    $("more").setAttribute("aria-expanded", "false");
    // the whole description when it fits in three lines anyway
    $("more").hidden = $("example-description").scrollHeight <= $("example-description").clientHeight + 2;
    const fields = $("param-fields");
    fields.replaceChildren();
    for (const p of ex.params) {
      const id = `param-${p.name}`;
      const input = el("input", { id, name: p.name, value: p.default, "aria-describedby": id + "-doc",
                                  spellcheck: "false", autocomplete: "off" });
      input.addEventListener("change", () => setParam(p, input));
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); setParam(p, input).then((ok) => { if (ok) run(); }); }
      });
      fields.append(el("div", { class: "param" },
        el("label", { for: id }, `${p.name} `, el("span", { class: "kind" }, p.kind)), input,
        el("small", { id: id + "-doc" }, p.doc || ""), el("small", { class: "param-error", id: id + "-error",
                                                                     role: "alert" })));
    }
    $("params").hidden = !ex.params.length;
    showExamples($("example-filter").value);
  }

  // A parameter's value as a SPARQL term of its kind, or an Error saying what is expected.
  function termFor(p, value) {
    value = value.trim();
    if (p.kind === "iri") {
      let iri = value.startsWith("<") && value.endsWith(">") ? value.slice(1, -1) : value;
      const colon = iri.indexOf(":");
      const prefix = iri.slice(0, colon), local = iri.slice(colon + 1);
      if (colon > 0 && prefix in config.prefixes && !local.startsWith("//")) iri = config.prefixes[prefix] + local;
      if (!IRI_TEXT.test(iri)) {
        throw new Error("give an IRI, <IRI>, prefix:name or the resource's name");
      }
      return `<${iri}>`;
    }
    const typed = { integer: [/^[+-]?\d+$/, "integer"], date: [/^\d{4}-\d{2}-\d{2}$/, "date"],
                    year: [/^\d{4}$/, "gYear"] }[p.kind];
    if (typed) {
      if (!typed[0].test(value)) throw new Error(`expected ${p.kind === "date" ? "YYYY-MM-DD" : "a " + p.kind}`);
      return `"${value}"^^<${XSD}${typed[1]}>`;
    }
    return literal(value);
  }

  function literal(text) {
    return '"' + text.replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
  }

  // A name given for an IRI parameter: the one resource labelled so (any language, alternative labels too).
  async function byName(text) {
    const query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
      + "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
      + `SELECT DISTINCT ?s WHERE { VALUES ?name { ${literal(text.trim().toLowerCase())} } `
      + "?s rdfs:label|skos:prefLabel|skos:altLabel ?l FILTER(LCASE(STR(?l)) = ?name) } LIMIT 10";
    const found = JSON.parse(await ask(query, "application/sparql-results+json")).results.bindings.map((b) => b.s.value);
    if (found.length === 1) return found[0];
    if (!found.length) throw new Error(`nothing in the graph is labelled "${text.trim()}": give an IRI or prefix:name`);
    throw new Error(`"${text.trim()}" names ${found.length} resources: ${found.map((i) => compact(i) || i).join(", ")}`);
  }

  // Rewrite the VALUES lines the project's binder wrote (and only those) with the parameter's new term.
  async function setParam(p, input) {
    const error = $(`param-${p.name}-error`);
    let term;
    try {
      try {
        term = termFor(p, input.value);
      } catch (e) {
        if (p.kind !== "iri" || /^<|^[A-Za-z][\w.-]*:\S*$/.test(input.value.trim())) throw e;
        const iri = await byName(input.value);  // not an IRI: a name, as `wpsgraph query --param` takes
        term = `<${iri}>`;
        input.value = compact(iri) || iri;
      }
    } catch (e) {
      error.textContent = e.message;
      input.setAttribute("aria-invalid", "true");
      return false;
    }
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    terms[p.name] = term;
    const pattern = /^(\s*)VALUES \(((?:\?\w+ ?)+)\) \{ \((.*)\) \}\s*$/;
    let changed = 0;
    editor.operation(() => {
      for (let line = 0; line < editor.lineCount(); line++) {
        const m = pattern.exec(editor.getLine(line));
        if (!m) continue;
        const vars = m[2].trim().split(" ").map((v) => v.slice(1));
        if (!vars.includes(p.name) || !vars.every((v) => v in terms)) continue;
        const text = `${m[1]}VALUES (${vars.map((v) => "?" + v).join(" ")}) { (${vars.map((v) => terms[v]).join(" ")}) }`;
        editor.replaceRange(text, { line, ch: 0 }, { line, ch: editor.getLine(line).length });
        changed++;
      }
    });
    if (!changed) {
      error.textContent = `the query has no VALUES line for ?${p.name} any more: edit the query itself`;
      return false;
    }
    return true;
  }

  // ---- running --------------------------------------------------------------------------------------------
  async function ask(query, accept) {
    const reply = await fetch(endpoint, {
      method: "POST", body: new URLSearchParams({ query }),
      headers: { Accept: accept, "Content-Type": "application/x-www-form-urlencoded" },
    });
    const body = await reply.text();
    if (!reply.ok) throw new Error(`HTTP ${reply.status}: ${body.trim().slice(0, 400) || reply.statusText}`);
    return body;
  }

  async function run() {
    const added = addPrefixes();
    const query = editor.getValue();
    updateLink(query);
    status(added ? `declared ${added} prefix(es); running…` : "running…");
    $("run").disabled = true;
    const started = performance.now();
    try {
      let data;
      const text = await ask(query, "application/sparql-results+json, text/turtle;q=0.9");
      try {
        data = JSON.parse(text);
      } catch (e) {
        // CONSTRUCT and DESCRIBE answer with triples, or the server cut a cancelled answer short
        if (/^\s*[{[]/.test(text)) throw new Error("the answer stopped short (the query ran past the server's time limit?)");
        showTriples(text);
        status(`triples in ${((performance.now() - started) / 1000).toFixed(2)} s`);
        lastQuery = null;
        $("csv").disabled = true;
        return;
      }
      lastQuery = query;
      $("csv").disabled = !data.head || !data.results;
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if ("boolean" in data) {
        $("results").replaceChildren(el("p", { class: "boolean" }, `Answer: ${data.boolean ? "yes" : "no"}`));
        status(`answered in ${seconds} s`);
        return;
      }
      const rows = data.results.bindings;
      status(`${rows.length} row${rows.length === 1 ? "" : "s"} in ${seconds} s; fetching labels…`);
      const table = showTable(data.head.vars, rows);
      await addLabels(table);
      status(`${rows.length} row${rows.length === 1 ? "" : "s"} in ${seconds} s`);
    } catch (e) {
      status(e.message, true);
      $("results").replaceChildren(el("pre", { class: "error" }, e.message));
      lastQuery = null;
      $("csv").disabled = true;
    } finally {
      $("run").disabled = false;
    }
  }

  function showTriples(text) {
    $("results").replaceChildren(el("pre", { class: "triples" }, text));
  }

  function cell(term, labelled) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const shown = compact(term.value) || term.value;
      const link = /^https?:\/\//.test(term.value)
        ? el("a", { href: term.value, title: `${term.value} (published page)` }, shown)
        : el("span", { title: term.value }, shown);
      td.append(link);
      if (labelled) {
        td.dataset.iri = term.value;
        td.append(el("span", { class: "label" }));
      }
    } else if (term.type === "literal") {
      td.append(term.value);
      const tag = term["xml:lang"] ? "@" + term["xml:lang"] : term.datatype && !term.datatype.endsWith("#string")
        ? " " + (compact(term.datatype) || term.datatype) : "";
      if (tag) td.append(el("span", { class: "dtype" }, tag));
    } else {
      td.append(el("span", { class: "bnode" }, "_:" + term.value));
    }
    return td;
  }

  function showTable(vars, rows) {
    // a column xLabel beside x already names x: no second label there
    const labelled = new Set(vars.filter((v) => !vars.includes(v + "Label")));
    const head = el("tr", {}, ...vars.map((v) => el("th", { scope: "col" }, v)));
    const body = el("tbody");
    for (const row of rows) {
      const cells = vars.map((v) => cell(row[v], labelled.has(v)));
      cells.forEach((td, i) => { td.dataset.var = vars[i]; });  // named on a phone, where rows become cards
      body.append(el("tr", {}, ...cells));
    }
    const caption = el("caption", {}, `${current ? current.title : "Results"}: `
                       + `${rows.length} row${rows.length === 1 ? "" : "s"}`);
    const table = el("table", {}, caption, el("thead", {}, head), body);
    $("results").replaceChildren(el("div", { class: "scroll" }, table));
    return table;
  }

  // The label service: one query per 200 IRIs, labels in the chosen language, else English, else any.
  async function addLabels(table) {
    const cells = [...table.querySelectorAll("td[data-iri]")];
    const iris = [...new Set(cells.map((c) => c.dataset.iri))].filter((i) => IRI_TEXT.test(i)).slice(0, 5000);
    const lang = $("lang").value, labels = {};
    for (let i = 0; i < iris.length; i += 200) {
      const values = iris.slice(i, i + 200).map((iri) => `<${iri}>`).join(" ");
      const query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        + "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        + `SELECT ?s ?label WHERE { VALUES ?s { ${values} } ?s rdfs:label|skos:prefLabel ?label }`;
      const data = JSON.parse(await ask(query, "application/sparql-results+json"));
      for (const b of data.results.bindings) {
        const l = b.label["xml:lang"] || "";
        const rank = l === lang ? 0 : l === "en" ? 1 : l === "" ? 2 : 3;
        const seen = labels[b.s.value];
        if (!seen || rank < seen[0] || (rank === seen[0] && b.label.value < seen[1])) {
          labels[b.s.value] = [rank, b.label.value, l];
        }
      }
    }
    for (const c of cells) {
      const found = labels[c.dataset.iri];
      if (!found) continue;
      const span = c.querySelector(".label");
      span.textContent = found[1];
      if (found[2] && found[2] !== "en") span.setAttribute("lang", found[2]);
    }
  }

  // ---- CSV and links --------------------------------------------------------------------------------------
  async function downloadCsv() {
    if (!lastQuery) return;
    try {
      const text = await ask(lastQuery, "text/csv");
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
      const a = el("a", { href: url, download: `${lastName}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      status(e.message, true);
    }
  }

  function updateLink(query) {
    const fragment = new URLSearchParams({ query });
    if (current) fragment.set("example", current.name);
    history.replaceState(null, "", "#" + fragment.toString());
    $("share-link").value = location.href;
  }

  async function share() {
    updateLink(editor.getValue());
    $("share-box").hidden = false;
    $("share-link").select();
    try {
      await navigator.clipboard.writeText(location.href);
      status("link copied");
    } catch (e) {
      status("copy the link below");
    }
  }

  // ---- start ----------------------------------------------------------------------------------------------
  async function start() {
    const reply = await fetch("workbench/config.json");
    config = await reply.json();
    $("version").textContent = config.version;
    $("home").href = config.base;
    $("endpoint").textContent = endpoint;
    $("example-filter").addEventListener("input", (e) => showExamples(e.target.value));
    $("run").addEventListener("click", run);
    $("more").addEventListener("click", () => {
      const open = $("example-description").classList.toggle("clamped");
      $("more").setAttribute("aria-expanded", String(!open));
      $("more").textContent = open ? "Show the whole description" : "Show less";
    });
    $("prefixes").addEventListener("click", () => status(`declared ${addPrefixes()} prefix(es)`));
    $("share").addEventListener("click", share);
    $("csv").addEventListener("click", downloadCsv);
    $("lang").addEventListener("change", () => { const t = $("results").querySelector("table"); if (t) addLabels(t); });
    if (window.matchMedia("(max-width: 700px)").matches) $("examples-box").open = false;
    const fragment = new URLSearchParams(location.hash.slice(1));
    const shared = fragment.get("query");
    const ex = config.examples.find((e) => e.name === fragment.get("example"));
    if (ex) loadExample(ex, shared || undefined);
    else if (shared) editor.setValue(shared);
    else {
      editor.setValue(["# The latest National Action Plans with their country and adoption date. Labels appear beside",
                       "# IRIs; the project's prefixes (wps:, country:, ...) are declared when the query runs.",
                       "SELECT DISTINCT ?plan ?country ?date WHERE {",
                       "  ?plan a wps:NationalActionPlan ; wps:country ?country ; wps:adoptionDate ?date .",
                       "}",
                       "ORDER BY DESC(STR(?date)) ?plan",
                       "LIMIT 20"].join("\n"));
    }
    showExamples("");
    if (shared) run();
  }

  start().catch((e) => status(`the page could not start: ${e.message}`, true));
})();
