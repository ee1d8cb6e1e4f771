/* The researcher's workbench: YASGUI set up for this server, with no network beyond it.
 *
 * - the endpoint preset, the project's prefixes, completion of classes, properties and
 *   resources from our own data (the LOV completers, which call the internet, are off);
 * - errors from the endpoint (the one JSON error shape) shown in the editor at their line;
 * - result views beyond YASR's table, each a YASR plugin chosen automatically when a result
 *   fits it and switchable by hand: graph (CONSTRUCT/DESCRIBE), map (countries; shapes from
 *   the bundled world-atlas), timeline (dated rows) and chart (grouped counts);
 * - the table links IRIs to their /id/ pages, labelled where the result gives a label;
 * - the examples panel, permalinks (POST /q), downloads in every format of the format table.
 * Everything it needs is in static/: see static/vendor/README.md.
 */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("workbench-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).toString();
  // A resource page's "neighbourhood graph" link, #neighbourhood=IRI, read before YASGUI,
  // which takes the fragment for its own.
  const around = new URLSearchParams(window.location.hash.slice(1)).get("neighbourhood");
  const Yasr = Yasgui.Yasr;
  const Yasqe = Yasgui.Yasqe;
  // Every namespace comes from the server's prefix table (scidip_graph/namespaces.py).
  const ns = config.prefixes;
  const XSD = ns.xsd;
  const RDF_TYPE = `${ns.rdf}type`;
  const LABELS = [`${ns.rdfs}label`, `${ns.schema}name`, `${ns.skos}prefLabel`, `${ns.dct}title`];
  const NUMBERS = ["integer", "decimal", "double", "float", "int", "long", "short",
    "nonNegativeInteger", "positiveInteger", "unsignedInt"].map((t) => XSD + t);
  const DATES = ["date", "dateTime", "gYear", "gYearMonth"].map((t) => XSD + t);
  const WIDTH = 960;

  // -- small helpers ---------------------------------------------------------------------------

  function esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  }

  function compact(iri) {
    let best = "";
    let name = iri;
    for (const [prefix, space] of Object.entries(config.prefixes)) {
      if (iri.startsWith(space) && space.length > best.length && iri.length > space.length) {
        best = space;
        name = `${prefix}:${iri.slice(space.length)}`;
      }
    }
    return name;
  }

  /** Where a link to an IRI goes: its page here for our resources, else the IRI. */
  function href(iri) {
    return iri.startsWith(config.idBase) ? `/id/${iri.slice(config.idBase.length)}` : iri;
  }

  const isIri = (b) => !!b && b.type === "uri";
  const isNumber = (b) => !!b && b.type !== "uri" && NUMBERS.includes(b.datatype);
  const isDate = (b) => !!b && b.type !== "uri" && DATES.includes(b.datatype);
  const isCountry = (b) => isIri(b) && b.value.startsWith(`${config.idBase}country/`);

  function parseDate(b) {
    const m = /^(-?\d{1,4})(?:-(\d\d))?(?:-(\d\d))?/.exec(b.value);
    if (!m) return null;
    const date = new Date(Date.UTC(0, (Number(m[2]) || 1) - 1, Number(m[3]) || 1));
    date.setUTCFullYear(Number(m[1]));
    return date;
  }

  /** The label of the IRI in column v of a row: a column named vLabel, vName (Wikidata's
   * convention), or name/label/title when v is the only IRI column; else its short name. */
  function labelOf(row, v, vars) {
    const b = row[v];
    if (!b) return "";
    if (!isIri(b)) return b.value;
    for (const w of [`${v}Label`, `${v}Name`, `${v}_label`, `${v}_name`]) {
      if (row[w] && !isIri(row[w])) return row[w].value;
    }
    const iriVars = vars.filter((w) => isIri(row[w]));
    if (iriVars.length === 1) {
      for (const w of ["name", "label", "title"]) {
        if (row[w] && !isIri(row[w])) return row[w].value;
      }
    }
    return compact(b.value);
  }

  function bindingsOf(yasr) {
    return (yasr.results && yasr.results.getBindings()) || [];
  }

  function varsOf(yasr) {
    return (yasr.results && yasr.results.getVariables()) || [];
  }

  /** The variables whose bound values all pass a test (and that are bound somewhere). */
  function columnsWhere(rows, vars, test) {
    return vars.filter((v) => {
      const bound = rows.filter((r) => r[v]);
      return bound.length > 0 && bound.every((r) => test(r[v]));
    });
  }

  async function select(query) {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/sparql-results+json",
      },
      body: new URLSearchParams({ query }),
    });
    if (!response.ok) throw new Error(await response.text());
    return (await response.json()).results.bindings;
  }

  function once(make) {
    let promise = null;
    return () => (promise = promise || make());
  }

  function svgOf(parent, height) {
    return d3.select(parent).append("svg")
      .attr("viewBox", `0 0 ${WIDTH} ${height}`)
      .attr("xmlns", "http://www.w3.org/2000/svg")
      .attr("role", "img");
  }

  function viewElement(yasr, name) {
    const el = document.createElement("div");
    el.className = `sd-view sd-${name}`;
    el.dataset.view = name;
    yasr.resultsEl.appendChild(el);
    return el;
  }

  function note(el, text) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = text;
    el.appendChild(p);
    return p;
  }

  function icon(symbol) {
    const span = document.createElement("span");
    span.textContent = symbol;
    span.setAttribute("aria-hidden", "true");
    return span;
  }

  /** A view plugin drawing SVG: its download is the drawing. */
  class SvgView {
    constructor(yasr, label, priority, symbol) {
      this.yasr = yasr;
      this.label = label;
      this.priority = priority; // YASR draws the compatible view of highest priority
      this.symbol = symbol;
    }
    getIcon() {
      return icon(this.symbol);
    }
    download(name) {
      const svg = this.yasr.resultsEl.querySelector("svg");
      if (!svg) return undefined;
      return {
        getData: () => svg.outerHTML,
        contentType: "image/svg+xml",
        title: `Download the ${this.label.toLowerCase()} as SVG`,
        filename: `${name || "query"}-${this.label.toLowerCase()}.svg`,
      };
    }
  }

  // -- graph: CONSTRUCT and DESCRIBE results, nodes coloured by class -------------------------

  const MAX_NODES = 400;

  function neighbourhoodQuery(iri) {
    return [
      `PREFIX schema: <${ns.schema}>`,
      `# The neighbourhood of ${compact(iri)}: what it says, what points at it, with names.`,
      "CONSTRUCT { ?s ?p ?o . ?n schema:name ?name . ?n a ?type }",
      "WHERE {",
      `  { BIND(<${iri}> AS ?s) <${iri}> ?p ?o . BIND(?o AS ?n) }`,
      `  UNION { BIND(<${iri}> AS ?o) ?s ?p <${iri}> . BIND(?s AS ?n) }`,
      '  OPTIONAL { ?n schema:name ?name FILTER(langMatches(lang(?name), "en")) }',
      "  OPTIONAL { ?n a ?type }",
      "}",
    ].join("\n");
  }

  class GraphView extends SvgView {
    constructor(yasr) {
      super(yasr, "Graph", 15, "◉");
    }
    statements() {
      const r = this.yasr.results;
      return (r && r.getType && r.getType() === "ttl" && r.getStatements()) || [];
    }
    canHandleResults() {
      return this.statements().length > 0;
    }
    draw() {
      const el = viewElement(this.yasr, "graph");
      const nodes = new Map();
      const links = [];
      const node = (term) => {
        const id = `${term.termType}:${term.value}`;
        if (!nodes.has(id)) {
          nodes.set(id, { id, iri: term.termType === "NamedNode" ? term.value : null,
            label: null, labelLang: null, type: null });
        }
        return nodes.get(id);
      };
      for (const q of this.statements()) {
        if (nodes.size >= MAX_NODES) break;
        const s = node(q.subject);
        const p = q.predicate.value;
        if (q.object.termType === "Literal") {
          const better = !s.label || (q.object.language === "en" && s.labelLang !== "en");
          if (LABELS.includes(p) && better) {
            s.label = q.object.value;
            s.labelLang = q.object.language;
          }
        } else if (p === RDF_TYPE) {
          s.type = s.type || compact(q.object.value);
        } else {
          links.push({ source: s, target: node(q.object), label: compact(p) });
        }
      }
      const list = [...nodes.values()];
      const classes = [...new Set(list.map((n) => n.type || "(no class)"))];
      const colour = d3.scaleOrdinal(classes, d3.schemeTableau10);
      const legend = document.createElement("div");
      legend.className = "legend";
      for (const c of classes) {
        const span = document.createElement("span");
        span.textContent = c;
        span.style.setProperty("--swatch", colour(c));
        legend.appendChild(span);
      }
      el.appendChild(legend);
      note(el, `${list.length} nodes, ${links.length} links${nodes.size >= MAX_NODES ?
        ` (the first ${MAX_NODES} nodes)` : ""}. Click a node to see its neighbourhood; ` +
        "drag to pan, scroll to zoom.");
      const height = 620;
      const simulation = d3.forceSimulation(list)
        .force("link", d3.forceLink(links).distance(90))
        .force("charge", d3.forceManyBody().strength(-260))
        .force("center", d3.forceCenter(WIDTH / 2, height / 2))
        .force("collide", d3.forceCollide(18))
        .stop();
      for (let i = 0; i < 300; i++) simulation.tick();
      const svg = svgOf(el, height).attr("aria-label", "Graph of the result");
      const g = svg.append("g");
      svg.call(d3.zoom().scaleExtent([0.2, 5]).on("zoom", (e) => g.attr("transform", e.transform)));
      g.selectAll("line").data(links).join("line").attr("class", "edge")
        .attr("x1", (d) => d.source.x).attr("y1", (d) => d.source.y)
        .attr("x2", (d) => d.target.x).attr("y2", (d) => d.target.y);
      g.selectAll("text.edge-label").data(links).join("text").attr("class", "edge-label")
        .attr("x", (d) => (d.source.x + d.target.x) / 2)
        .attr("y", (d) => (d.source.y + d.target.y) / 2)
        .attr("text-anchor", "middle").text((d) => d.label);
      const nodeG = g.selectAll("g.node").data(list).join("g").attr("class", "node")
        .attr("transform", (d) => `translate(${d.x},${d.y})`);
      nodeG.append("circle").attr("r", 8).attr("fill", (d) => colour(d.type || "(no class)"))
        .on("click", (_, d) => d.iri && runInNewTab(compact(d.iri), neighbourhoodQuery(d.iri)));
      nodeG.append("title").text((d) => d.iri || "a blank node");
      nodeG.append("text").attr("x", 11).attr("y", 4)
        .text((d) => d.label || (d.iri ? compact(d.iri) : "[ ]"));
    }
  }

  // -- map: results that hold countries --------------------------------------------------------

  const atlas = once(() => fetch(config.atlas).then((r) => r.json()));
  const countryCodes = once(() => select([
    `PREFIX sd: <${ns.sd}>`,
    `PREFIX schema: <${ns.schema}>`,
    "SELECT ?country ?numeric ?name WHERE {",
    "  ?country sd:iso3166Alpha2 ?alpha2 .",
    "  OPTIONAL { ?country sd:iso3166Numeric ?numeric }",
    '  OPTIONAL { ?country schema:name ?name FILTER(lang(?name) = "en") }',
    "}",
  ].join("\n")).then((rows) => new Map(rows.map((r) => [r.country.value, {
    numeric: r.numeric && r.numeric.value, name: r.name && r.name.value }]))));

  class MapView extends SvgView {
    constructor(yasr) {
      super(yasr, "Map", 12, "🗺");
    }
    countryColumn() {
      const rows = bindingsOf(this.yasr);
      let best = null;
      let most = 1; // at least two distinct countries
      for (const v of varsOf(this.yasr)) {
        const found = new Set(rows.filter((r) => isCountry(r[v])).map((r) => r[v].value));
        if (found.size > most) {
          best = v;
          most = found.size;
        }
      }
      return best;
    }
    canHandleResults() {
      return this.countryColumn() !== null;
    }
    async draw() {
      const el = viewElement(this.yasr, "map");
      const rows = bindingsOf(this.yasr);
      const vars = varsOf(this.yasr);
      const column = this.countryColumn();
      const valueColumn = columnsWhere(rows, vars, isNumber)[0];
      const [world, codes] = await Promise.all([atlas(), countryCodes()]);
      const hits = new Map();
      for (const row of rows) {
        if (!isCountry(row[column])) continue;
        const iri = row[column].value;
        const hit = hits.get(iri) || { iri, label: labelOf(row, column, vars), rows: 0, value: null };
        hit.rows += 1;
        if (valueColumn && row[valueColumn]) {
          hit.value = Math.max(hit.value ?? -Infinity, Number(row[valueColumn].value));
        }
        hits.set(iri, hit);
      }
      const features = topojson.feature(world, world.objects.countries).features;
      const byKey = new Map();
      for (const hit of hits.values()) {
        const code = codes.get(hit.iri) || {};
        if (hit.label === compact(hit.iri) && code.name) hit.label = code.name;
        byKey.set(code.numeric ? `n${code.numeric}` : `name:${code.name}`, hit);
      }
      const drawn = new Set();
      const hitOf = (f) => {
        const hit = byKey.get(`n${f.id}`) || byKey.get(`name:${f.properties.name}`);
        if (hit) drawn.add(hit.iri);
        return hit;
      };
      const values = [...hits.values()].map((h) => h.value).filter((v) => v !== null);
      const scale = values.length ?
        d3.scaleSequential(d3.interpolateBlues).domain([0, d3.max(values)]) : null;
      const fill = (hit) => (!hit ? "#e3e7eb" : scale && hit.value !== null ?
        scale(hit.value) : "#1f5f99");
      const height = 500;
      const projection = d3.geoNaturalEarth1().fitSize([WIDTH, height], { type: "Sphere" });
      const path = d3.geoPath(projection);
      const svg = svgOf(el, height).attr("aria-label", `Map of ${hits.size} countries`);
      const g = svg.append("g");
      svg.call(d3.zoom().scaleExtent([1, 8]).on("zoom", (e) => g.attr("transform", e.transform)));
      const shapes = g.selectAll("path").data(features).join("path")
        .attr("d", path)
        .attr("class", (f) => (hitOf(f) ? "country hit" : "country"))
        .attr("fill", (f) => fill(hitOf(f)))
        .on("click", (_, f) => {
          const hit = hitOf(f);
          if (hit) window.open(href(hit.iri), "_blank", "noopener");
        });
      shapes.append("title").text((f) => {
        const hit = hitOf(f);
        if (!hit) return f.properties.name;
        const value = valueColumn && hit.value !== null ? `: ${valueColumn} ${hit.value}` : "";
        return `${hit.label}${value} (${hit.rows} row${hit.rows === 1 ? "" : "s"})`;
      });
      const missing = [...hits.values()].filter((h) => !drawn.has(h.iri)).map((h) => h.label);
      note(el, `${drawn.size} of ${hits.size} countries of column ?${column} on the map` +
        (valueColumn ? `, shaded by ?${valueColumn}` : "") +
        (missing.length ? `; without a shape (former states, or too small for the map): ` +
          `${missing.join(", ")}` : "") + ". Click a country for its page.");
    }
  }

  const LEFT = 260;
  const ROW = 18;

  /** Rows of a horizontal drawing (timeline lanes, bars), an axis below them, each row with
   * its label in the left margin, a link to the page of its IRI. */
  function labelledRows(el, items, scale, title) {
    const height = items.length * ROW + 40;
    const svg = svgOf(el, height).attr("aria-label", title);
    svg.append("g").attr("class", "axis").attr("transform", `translate(0,${height - 25})`)
      .call(d3.axisBottom(scale).ticks(10));
    const rows = svg.selectAll("g.row").data(items).join("g").attr("class", "row")
      .attr("transform", (_, i) => `translate(0,${i * ROW + 4})`);
    rows.append("a").attr("href", (d) => (d.iri ? href(d.iri) : null))
      .append("text").attr("x", LEFT - 8).attr("y", 12).attr("text-anchor", "end")
      .text((d) => (d.label.length > 40 ? `${d.label.slice(0, 39)}…` : d.label));
    return rows;
  }

  // -- timeline: rows with dates ---------------------------------------------------------------

  const MAX_LANES = 150;

  class TimelineView extends SvgView {
    constructor(yasr) {
      super(yasr, "Timeline", 13, "⏱");
    }
    dateColumns() {
      return columnsWhere(bindingsOf(this.yasr), varsOf(this.yasr), isDate);
    }
    canHandleResults() {
      return bindingsOf(this.yasr).length >= 2 && this.dateColumns().length > 0;
    }
    draw() {
      const el = viewElement(this.yasr, "timeline");
      const rows = bindingsOf(this.yasr);
      const vars = varsOf(this.yasr);
      const [startVar, endVar] = this.dateColumns();
      // Lanes by the column that tells rows apart best (most distinct values), dates aside.
      const distinct = (v) => new Set(rows.map((r) => r[v] && r[v].value)).size;
      const others = vars.filter((v) => v !== startVar && v !== endVar && !isDate(rows[0][v]));
      const labelVar = others.sort((a, b) => distinct(b) - distinct(a))[0] || startVar;
      const lanes = new Map();
      for (const row of rows) {
        const start = row[startVar] && parseDate(row[startVar]);
        if (!start) continue;
        const end = endVar && row[endVar] ? parseDate(row[endVar]) : null;
        const label = labelOf(row, labelVar, vars);
        if (!lanes.has(label)) {
          if (lanes.size >= MAX_LANES) continue;
          lanes.set(label, { label, iri: isIri(row[labelVar]) ? row[labelVar].value : null,
            items: [] });
        }
        lanes.get(label).items.push({ start, end });
      }
      const list = [...lanes.values()].sort((a, b) =>
        d3.min(a.items, (i) => i.start) - d3.min(b.items, (i) => i.start));
      const all = list.flatMap((l) => l.items.flatMap((i) => (i.end ? [i.start, i.end] : [i.start])));
      const x = d3.scaleUtc().domain(d3.extent(all)).nice().range([LEFT, WIDTH - 20]);
      const laneG = labelledRows(el, list, x, `Timeline of ${list.length} rows`);
      laneG.selectAll("rect").data((d) => d.items.filter((i) => i.end)).join("rect")
        .attr("class", "span").attr("x", (i) => x(i.start)).attr("y", 3).attr("height", 11)
        .attr("width", (i) => Math.max(2, x(i.end) - x(i.start)))
        .append("title").text((i) => `${i.start.toISOString().slice(0, 10)} – ` +
          i.end.toISOString().slice(0, 10));
      laneG.selectAll("circle").data((d) => d.items.filter((i) => !i.end)).join("circle")
        .attr("class", "point").attr("cx", (i) => x(i.start)).attr("cy", 8.5).attr("r", 4.5)
        .append("title").text((i) => i.start.toISOString().slice(0, 10));
      note(el, `?${startVar}${endVar ? ` to ?${endVar}` : ""} for each ?${labelVar}` +
        (lanes.size >= MAX_LANES ? ` (the first ${MAX_LANES})` : "") + ".");
    }
  }

  // -- chart: grouped counts -------------------------------------------------------------------

  const MAX_BARS = 300;

  class ChartView extends SvgView {
    constructor(yasr) {
      super(yasr, "Chart", 14, "▥");
    }
    /** x: the first column; y: the one numeric column after it; a label column may sit between. */
    shape() {
      const rows = bindingsOf(this.yasr);
      const vars = varsOf(this.yasr);
      if (rows.length < 2 || rows.length > MAX_BARS || vars.length < 2 || vars.length > 3) {
        return null;
      }
      const numeric = columnsWhere(rows, vars, isNumber);
      const y = numeric.filter((v) => v !== vars[0]);
      if (y.length !== 1 || !rows.every((r) => r[y[0]])) return null;
      const x = vars[0];
      const line = numeric.includes(x) || columnsWhere(rows, [x], isDate).length === 1;
      return { x, y: y[0], line };
    }
    canHandleResults() {
      return this.shape() !== null;
    }
    draw() {
      const el = viewElement(this.yasr, "chart");
      const { x, y, line } = this.shape();
      const rows = bindingsOf(this.yasr);
      const vars = varsOf(this.yasr);
      const data = rows.map((r) => ({
        label: r[x] ? labelOf(r, x, vars) : "(none)",
        iri: isIri(r[x]) ? r[x].value : null,
        at: r[x] && (isDate(r[x]) ? parseDate(r[x]) : Number(r[x].value)),
        value: Number(r[y].value),
      }));
      if (line) this.drawLine(el, data, x, y);
      else this.drawBars(el, data, x, y);
    }
    drawBars(el, data, x, y) {
      const scale = d3.scaleLinear().domain([0, d3.max(data, (d) => d.value)]).nice()
        .range([LEFT, WIDTH - 40]);
      const g = labelledRows(el, data, scale, `Bar chart of ?${y} by ?${x}`);
      g.append("rect").attr("class", "bar").attr("x", LEFT).attr("y", 3).attr("height", 11)
        .attr("width", (d) => Math.max(1, scale(d.value) - LEFT))
        .append("title").text((d) => `${d.label}: ${d.value}`);
      g.append("text").attr("x", (d) => scale(d.value) + 4).attr("y", 13).text((d) => d.value);
      note(el, `?${y} for each ?${x}.`);
    }
    drawLine(el, data, x, y) {
      const height = 420;
      const margin = { left: 60, bottom: 40, top: 20 };
      const sorted = [...data].sort((a, b) => a.at - b.at);
      const dates = sorted[0].at instanceof Date;
      const xs = (dates ? d3.scaleUtc() : d3.scaleLinear())
        .domain(d3.extent(sorted, (d) => d.at)).range([margin.left, WIDTH - 30]);
      const ys = d3.scaleLinear().domain([0, d3.max(sorted, (d) => d.value)]).nice()
        .range([height - margin.bottom, margin.top]);
      const svg = svgOf(el, height).attr("aria-label", `Line chart of ?${y} by ?${x}`);
      svg.append("g").attr("class", "axis")
        .attr("transform", `translate(0,${height - margin.bottom})`)
        .call(dates ? d3.axisBottom(xs) : d3.axisBottom(xs).tickFormat(d3.format("d")));
      svg.append("g").attr("class", "axis").attr("transform", `translate(${margin.left},0)`)
        .call(d3.axisLeft(ys));
      svg.append("path").datum(sorted).attr("class", "line").attr("stroke", "#1f5f99")
        .attr("d", d3.line().x((d) => xs(d.at)).y((d) => ys(d.value)));
      svg.selectAll("circle").data(sorted).join("circle").attr("class", "point")
        .attr("cx", (d) => xs(d.at)).attr("cy", (d) => ys(d.value)).attr("r", 3.5)
        .append("title").text((d) => `${d.label}: ${d.value}`);
      note(el, `?${y} over ?${x}.`);
    }
  }

  // -- the table: IRIs to their pages, with labels; numbers sorted as numbers ------------------

  const Table = Yasr.plugins.table;
  Table.defaults.openIriInNewWindow = false;
  const tableColumns = Table.prototype.getColumns;
  Table.prototype.getColumns = function () {
    const columns = tableColumns.call(this);
    const vars = varsOf(this.yasr);
    const rows = bindingsOf(this.yasr);
    columns.slice(1).forEach((column, i) => {
      const render = column.render;
      const v = vars[i];
      column.render = (cell, type, row, meta) => {
        if (cell && type === "sort" && isNumber(cell)) return Number(cell.value);
        if (cell && type === "display" && isIri(cell)) {
          const label = labelOf(rows[row[0] - 1], v, vars);
          return `<div><span><a class="iri" href="${esc(href(cell.value))}" ` +
            `title="${esc(cell.value)}">${esc(label)}</a></span></div>`;
        }
        return render(cell, type, row, meta);
      };
    });
    return columns;
  };

  // -- choosing a view: the best one that fits each new result ---------------------------------

  const setResponse = Yasr.prototype.setResponse;
  Yasr.prototype.setResponse = function (...args) {
    this.sdChoose = true;
    return setResponse.apply(this, args);
  };
  const yasrDraw = Yasr.prototype.draw;
  Yasr.prototype.draw = function () {
    if (this.sdChoose && this.results) {
      this.sdChoose = false;
      const best = this.getCompatiblePlugins()[0];
      if (best && this.plugins[best] && !this.plugins[best].hideFromSelection) {
        this.selectedPlugin = best;
      }
    }
    return yasrDraw.call(this);
  };
  Yasr.registerPlugin("graph", GraphView);
  Yasr.registerPlugin("map", MapView);
  Yasr.registerPlugin("timeline", TimelineView);
  Yasr.registerPlugin("chart", ChartView);

  // -- completion from our own vocabulary and data (no LOV, no prefix.cc) ----------------------

  const prefixList = Object.entries(ns).map(([p, ns]) => `${p}: <${ns}>`).sort();
  const terms = (query, v) => once(() => select(query).then((rows) => rows.map((r) => r[v].value)));
  const classes = terms("SELECT DISTINCT ?c WHERE { [] a ?c } ORDER BY ?c", "c");
  const properties = terms("SELECT DISTINCT ?p WHERE { [] ?p [] } ORDER BY ?p", "p");
  const startingWith = (list, token) => {
    const start = token.autocompletionString || "";
    return list.filter((iri) => iri.startsWith(start)).slice(0, 100);
  };
  Yasqe.forkAutocompleter("prefixes", { name: "sd-prefixes", persistenceId: "sd-prefixes",
    get: () => Promise.resolve(prefixList) }, false);
  Yasqe.forkAutocompleter("class", { name: "sd-class",
    get: (_, token) => classes().then((list) => startingWith(list, token)) }, false);
  Yasqe.forkAutocompleter("property", { name: "sd-property",
    get: (_, token) => properties().then((list) => startingWith(list, token)) }, false);
  Yasqe.forkAutocompleter("property", { name: "sd-resource",
    isValidCompletionPosition: (yasqe) => {
      const token = yasqe.getCompleteToken();
      const written = token.string;
      return (written.startsWith("id:") || written.startsWith(`<${config.idBase}`)) &&
        token.state.possibleCurrent.indexOf("a") < 0;
    },
    get: (_, token) => {
      const start = token.autocompletionString || config.idBase;
      const literal = JSON.stringify(start.startsWith(config.idBase) ? start : config.idBase);
      return select(`SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), ${literal})) }
        ORDER BY ?s LIMIT 100`).then((rows) => rows.map((r) => r.s.value));
    } }, false);
  Yasqe.defaults.autocompleters = ["variables", "sd-prefixes", "sd-class", "sd-property",
    "sd-resource"];

  // -- errors in the editor, at their line and column ------------------------------------------

  let marks = [];
  function clearMarks() {
    for (const m of marks) m.clear();
    marks = [];
  }
  function markError(yasqe, detail) {
    clearMarks();
    if (!detail || !detail.line) return;
    const line = detail.line - 1;
    const ch = Math.max(0, (detail.column || 1) - 1);
    const handle = yasqe.addLineClass(line, "background", "sd-error-line");
    marks.push({ clear: () => yasqe.removeLineClass(handle, "background", "sd-error-line") });
    marks.push(yasqe.markText({ line, ch }, { line, ch: ch + 1 }, { className: "sd-error-mark" }));
    yasqe.scrollIntoView({ line, ch });
    yasqe.on("change", clearMarks);
  }
  async function renderError(error) {
    let body;
    try {
      body = JSON.parse(error.text);
    } catch {
      return undefined;
    }
    if (!body || !body.error) return undefined;
    const e = body.error;
    const el = document.createElement("div");
    el.className = "sd-error";
    const head = document.createElement("p");
    head.innerHTML = `<strong>${esc(e.status)} ${esc(e.code)}</strong>: ${esc(e.message)}`;
    el.appendChild(head);
    if (e.detail && e.detail.line) {
      const at = document.createElement("p");
      at.className = "position";
      at.textContent = `Line ${e.detail.line}, column ${e.detail.column}: marked in the editor.`;
      el.appendChild(at);
    }
    if (e.hint) note(el, e.hint);
    const tab = yasgui.getTab();
    if (tab) markError(tab.getYasqe(), e.detail);
    return el;
  }

  // -- permalinks ------------------------------------------------------------------------------

  async function shorten(query) {
    const response = await fetch(config.permalinks, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/json" },
      body: query,
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error ? answer.error.message : response.statusText);
    return new URL(answer.url, window.location.href).toString();
  }

  // -- the editor ------------------------------------------------------------------------------

  Yasr.defaults.errorRenderers = [renderError];
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    yasqe: {
      value: config.starter,
      createShortLink: (yasqe) => shorten(yasqe.getValue()),
    },
    yasr: { prefixes: config.prefixes },
  });
  window.workbench = { yasgui, neighbourhoodQuery };

  function currentTab() {
    const tab = yasgui.getTab();
    if (tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
    return tab;
  }

  function runInNewTab(name, query, run = true) {
    const tab = yasgui.addTab(true, { ...Yasgui.Tab.getDefaults(yasgui), name,
      yasqe: { value: query } }, { avoidDuplicateTabs: true });
    tab.setEndpoint(endpoint);
    if (run) tab.query().catch(() => {});
    return tab;
  }

  currentTab();
  yasgui.on("tabSelect", () => setTimeout(currentTab, 0));
  // YASGUI itself opens (and runs) a query in the URL, ?query= or a share link's #query=.
  const inUrl = new URLSearchParams(window.location.search).has("query") ||
    new URLSearchParams(window.location.hash.slice(1)).has("query");
  if (around) runInNewTab(compact(around), neighbourhoodQuery(around));
  else if (config.query !== null && !inUrl) runInNewTab(config.name, config.query, config.run);

  // -- the toolbar: permalink and downloads ----------------------------------------------------

  const toolbar = document.getElementById("toolbar");
  toolbar.hidden = false;
  const shareUrl = document.getElementById("share-url");
  document.getElementById("share").addEventListener("click", async () => {
    shareUrl.hidden = false;
    try {
      shareUrl.value = await shorten(currentTab().getQuery());
      shareUrl.select();
    } catch (err) {
      shareUrl.value = `No link: ${err.message}`;
    }
  });
  const formatSelect = document.getElementById("download-format");
  for (const [kind, formats] of Object.entries(config.formats)) {
    const group = document.createElement("optgroup");
    group.label = kind === "results" ? "SELECT and ASK results" : "CONSTRUCT and DESCRIBE graphs";
    for (const f of formats) {
      const option = document.createElement("option");
      option.value = `${f.name}|${f.extension}`;
      option.textContent = `${f.name} (${f.media_type})`;
      group.appendChild(option);
    }
    formatSelect.appendChild(group);
  }
  document.getElementById("download").addEventListener("click", async () => {
    const [format, extension] = formatSelect.value.split("|");
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: currentTab().getQuery(), format }),
    });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      shareUrl.hidden = false;
      shareUrl.value = answer.error ? answer.error.message : response.statusText;
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = `query-results${extension}`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });

  // -- the examples panel ----------------------------------------------------------------------

  const list = document.getElementById("examples-list");
  list.addEventListener("click", async (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    event.preventDefault();
    const response = await fetch(link.href, { headers: { Accept: "application/sparql-query" } });
    const item = link.closest("li");
    for (const li of list.querySelectorAll("li.active")) li.classList.remove("active");
    item.classList.add("active");
    runInNewTab(item.dataset.name, await response.text());
  });
  document.getElementById("examples-search").addEventListener("input", (event) => {
    const words = event.target.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const li of list.children) {
      const text = li.textContent.toLowerCase();
      li.hidden = !words.every((w) => text.includes(w));
    }
  });
})();
