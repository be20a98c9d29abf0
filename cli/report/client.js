// Draws each execution's state graph in report.html: dagre (inlined above this script) lays the states
// out, this script draws them as SVG. Plain browser JavaScript, no network.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("report-data").textContent);

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function seconds(ms) {
    return ms === undefined || ms === null ? "" : (ms / 1000).toFixed(1) + "s";
  }

  function draw(execution, container) {
    var g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: "TB", nodesep: 36, ranksep: 46, edgesep: 12, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(function () { return {}; });
    execution.nodes.forEach(function (node) {
      g.setNode(node.name, { width: Math.max(130, node.name.length * 8 + 36), height: 46, node: node });
    });
    execution.edges.forEach(function (edge, i) {
      g.setEdge(edge.from, edge.to, { edge: edge }, "e" + i);
    });
    dagre.layout(g);

    var size = g.graph();
    var svg = el("svg", { width: Math.ceil(size.width), height: Math.ceil(size.height), viewBox: "0 0 " + Math.ceil(size.width) + " " + Math.ceil(size.height), role: "img" });
    var defs = el("defs", {}, svg);
    var marker = el("marker", { id: "arrow-" + container.dataset.graph, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
    el("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrow-head" }, marker);

    g.edges().forEach(function (e) {
      var info = g.edge(e);
      var points = info.points.map(function (p) { return p.x.toFixed(1) + " " + p.y.toFixed(1); });
      var classes = "edge edge-" + info.edge.kind + (info.edge.taken ? " taken" : "");
      var path = el("path", { d: "M " + points.join(" L "), class: classes, "marker-end": "url(#arrow-" + container.dataset.graph + ")" }, svg);
      var title = el("title", {}, path);
      title.textContent = info.edge.from + " → " + info.edge.to + (info.edge.label ? " (" + info.edge.label + ")" : "");
    });

    g.nodes().forEach(function (name) {
      var info = g.node(name);
      var node = info.node;
      var group = el("g", { class: "node outcome-" + node.outcome, "data-state": node.name, "data-outcome": node.outcome, transform: "translate(" + (info.x - info.width / 2).toFixed(1) + "," + (info.y - info.height / 2).toFixed(1) + ")" }, svg);
      el("rect", { width: info.width, height: info.height, rx: node.type === "Fail" || node.type === "Succeed" ? 23 : 6 }, group);
      var label = el("text", { x: info.width / 2, y: 19, class: "label" }, group);
      label.textContent = (node.isStart ? "▶ " : "") + node.name;
      var sub = el("text", { x: info.width / 2, y: 36, class: "sub" }, group);
      // Fail and Succeed states end as they start: a duration would say nothing.
      var timed = node.durationMs !== undefined && node.type !== "Fail" && node.type !== "Succeed";
      sub.textContent = node.type + (timed ? " · " + seconds(node.durationMs) : "") + (node.outcome === "not-reached" ? " · not reached" : "");
      var title = el("title", {}, group);
      title.textContent = node.name + ": " + node.outcome;
    });

    container.appendChild(svg);
    container.setAttribute("data-node-count", String(g.nodeCount()));
    container.setAttribute("data-rendered", "true");
  }

  var rendered = 0;
  data.executions.forEach(function (execution, i) {
    var container = document.querySelector('[data-graph="' + i + '"]');
    try {
      draw(execution, container);
      rendered++;
    } catch (error) {
      container.setAttribute("data-error", String(error && error.message ? error.message : error));
      container.textContent = "The graph could not be drawn: " + error;
    }
  });
  document.body.setAttribute("data-graphs-rendered", String(rendered));
})();
